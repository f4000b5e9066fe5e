"""Running it for real: health, metrics, limits, logs, the server. (REST API)"""
