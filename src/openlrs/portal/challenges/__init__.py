"""Data challenges: raising them, the inbox and the decisions. (portal pages)"""
