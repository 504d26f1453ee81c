"""Every e-mail the portal sends, through one transactional outbox (see `messaging.services`).

The bottom app: it imports none of ours. Each app registers how its kinds of message render
(`messaging.registry.kind_register`, at its AppConfig.ready), so messaging knows no app.
"""
