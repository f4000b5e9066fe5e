"""The Personal Learning Record: achievements, participation, sharing, challenges, qualifications. (portal pages)"""
