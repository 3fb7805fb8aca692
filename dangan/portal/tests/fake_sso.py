from dangan.portal.identity import Verdict


class AlwaysNo:
    """A stand-in for a provincial single sign-on that refuses everyone."""

    def verify_person(self, *, name, id_number, phone):
        return Verdict(False, "sso", "统一身份认证未通过", "name")

    def verify_employer(self, *, name, credit_code, phone):
        return Verdict(False, "sso", "统一身份认证未通过", "name")
