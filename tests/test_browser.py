"""The generated project's browser tests pass in Debian's Chromium and screenshot the board."""

from helpers import generate, run_pytest


def test_generated_e2e_tests_pass_and_screenshot_the_board(tmp_path):
    # The browser tests make their own SQLite file: the hook's setup is not needed.
    project = generate(tmp_path, run_setup=False)
    screenshot = tmp_path / "shots" / "board.png"
    result = run_pytest(project, "-m", "e2e", env={"E2E_SCREENSHOT": str(screenshot)})
    # In CI (CI=true) a missing browser or Playwright fails instead of skipping.
    assert "16 passed" in result.stdout, result.stdout
    assert " skipped" not in result.stdout, result.stdout
    data = screenshot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 20_000, "the screenshot looks blank"
    # The board on a phone, in Chinese, with a reply, and the API docs page (Swagger UI).
    for name in ("board-phone.png", "board-zh.png", "board-replies.png", "api-docs.png"):
        assert len((screenshot.parent / name).read_bytes()) > 20_000, name
