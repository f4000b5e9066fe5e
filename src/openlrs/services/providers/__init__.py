"""The provider register: apply, verify, update, standing, public search. (use cases)"""
