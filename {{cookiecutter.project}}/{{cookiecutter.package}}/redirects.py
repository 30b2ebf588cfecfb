"""Where a form may send the user next: only back to this site."""


def is_safe_next(url):
    """True only for a path on this site, such as "/u/alice".

    Browsers read "//evil.com" and "/\\evil.com" as other hosts, and drop tabs and
    newlines ("/\\t/evil.com" becomes "//evil.com"), so those are refused along with
    anything that has a scheme ("https:", "javascript:").
    """
    return (
        bool(url)
        and url.startswith("/")
        and not url.startswith("//")
        and "\\" not in url
        and not any(ord(char) < 32 or ord(char) == 127 for char in url)
    )
