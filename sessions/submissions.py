"""Receiver that turns an accepted call-for-participation submission into a draft session.

Connected from ProgrammeConfig.ready(); the signal lives in the congress app.
"""
