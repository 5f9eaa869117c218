from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories.base import BaseFactory


class TOTPDeviceFactory(BaseFactory):
    class Meta:
        model = TOTPDevice

    name = "Phone"
    confirmed = True


def current_code(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows right now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
