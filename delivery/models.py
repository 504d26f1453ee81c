"""Delivery zones, slots, couriers and rounds (models come with the delivery issue)."""
