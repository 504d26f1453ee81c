"""The merchant's space (/ma-boutique/) and the town staff's space (/gestion/): their homes,
menus and base templates. Each screen lives in the app whose data it changes; what gathers
every app (the homes, the menus) lives here, at the top of the layers."""
