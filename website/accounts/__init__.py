"""Staff and partner accounts: the public login page, login throttling, two-factor
authentication (TOTP with recovery codes) for the admin."""
