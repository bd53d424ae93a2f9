"""The action's pull-request comment (`comment: true`, kkctl/ci_comment.py).

The action's bash steps run as the runner runs them (tests/test_action.py) on a real git
repository with a pull request's commits, against a fake `gh` on PATH that keeps the
pull request's comments in a file and records every call: its arguments, its standard input
and its token.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES
from kkctl.ci_comment import LIMIT, MARKER
from test_action import ORG, ActionRun, run_action

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

HOSTILE = "$(touch pwned) \"`; rm -rf ~`\""
ME = {"login": "github-actions[bot]", "type": "Bot"}

FAKE_GH = r'''
import json, os, sys
from pathlib import Path

home = Path(os.environ["FAKE_GH_DIR"])
args = sys.argv[1:]
stdin = sys.stdin.read() if "--input" in args else ""
with open(home / "calls.jsonl", "a", encoding="utf-8") as log:
    log.write(json.dumps({"args": args, "stdin": stdin, "token": os.environ.get("GH_TOKEN")})
              + "\n")
state_file = home / "state.json"
state = json.loads(state_file.read_text()) if state_file.exists() else {"comments": []}
mode = os.environ.get("FAKE_GH_MODE", "")


def fail(status, text):
    print(json.dumps({"message": text}))
    print(f"gh: {text} (HTTP {status})", file=sys.stderr)
    sys.exit(1)


assert args[0] == "api", args
method = args[args.index("--method") + 1] if "--method" in args else "GET"
endpoint = next(a for a in args[1:] if "/" in a or a == "user")
if endpoint == "user":
    fail(403, "Resource not accessible by integration")
if method == "GET":
    comments = state["comments"]
    pages = [comments[i:i + 2] for i in range(0, len(comments), 2)] or [[]]
    sys.stdout.write("".join(json.dumps(page) for page in pages))  # --paginate: page after page
    sys.exit(0)
if mode == "read-only":
    fail(403, "Resource not accessible by integration")
body = json.loads(stdin)["body"]
if len(body) > 65536:
    fail(422, "Validation Failed: body is too long (maximum is 65536 characters)")
if method == "POST":
    number = 1000 + len(state["comments"]) + 1
    comment = {"id": number, "user": {"login": "github-actions[bot]", "type": "Bot"},
               "html_url": f"https://github.com/acme/org/pull/7#issuecomment-{number}"}
    state["comments"].append(comment)
else:
    number = int(endpoint.rsplit("/", 1)[1])
    comment = next(c for c in state["comments"] if c["id"] == number)
comment["body"] = body
state_file.write_text(json.dumps(state))
print(json.dumps(comment))
'''


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True, env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x",
                                           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x",
                                           "PATH": "/usr/bin:/bin:/usr/local/bin",
                                           "HOME": str(repo)})
    return done.stdout.strip()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


class PullRequest:
    """A repository (the example below a folder with an awkward name) where a branch renames
    a team to a hostile name while the base branch moves on; and the runner around it."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.root = tmp / "workspace"
        self.org = self.root / ORG
        shutil.copytree(EXAMPLES / "acme-consulting", self.org)
        git(self.root, "init", "-q", "-b", "main")
        git(self.root, "add", "-A")
        git(self.root, "commit", "-qm", "base")
        git(self.root, "checkout", "-qb", "feature")
        edit(self.org / "org" / "teams.yaml", "name: Plant Delivery",
             f"name: {json.dumps(HOSTILE)}")
        git(self.root, "commit", "-qam", "rename")
        self.head = git(self.root, "rev-parse", "HEAD")
        git(self.root, "checkout", "-q", "main")  # the base moves on after the branch
        edit(self.org / "org" / "people.yaml", "name: Petra Novak", "name: Petra Novak-Berg")
        git(self.root, "commit", "-qam", "on main meanwhile")
        self.base = git(self.root, "rev-parse", "HEAD")
        git(self.root, "checkout", "-q", "feature")
        self.gh = tmp / "gh-home"
        (self.gh / "bin").mkdir(parents=True)
        fake = self.gh / "bin" / "gh"
        fake.write_text(f"#!{sys.executable}\n{FAKE_GH}", encoding="utf-8")
        fake.chmod(0o755)
        self.home = tmp / "home"  # what `rm -rf ~` would empty, were it ever run
        self.home.mkdir()
        (self.home / "canary").write_text("still here\n")
        self.summary = tmp / "summary.md"
        self.runs = 0

    def event(self, **changes: Any) -> Path:
        pull = {"number": 7,
                "base": {"sha": self.base, "repo": {"full_name": "acme/org"}},
                "head": {"sha": self.head, "repo": {"full_name": "acme/org"}}}
        pull.update(changes)
        path = self.tmp / "event.json"
        path.write_text(json.dumps({"action": "synchronize", "pull_request": pull}))
        return path

    def run(self, inputs: dict[str, str | None] | None = None, event: str = "pull_request",
            payload: Path | None = None, **env: str) -> ActionRun:
        self.runs += 1
        scratch = self.tmp / f"run-{self.runs}"
        scratch.mkdir()
        github = {"PATH": str(self.gh / "bin"), "FAKE_GH_DIR": str(self.gh),
                  "HOME": str(self.home), "GITHUB_EVENT_NAME": event,
                  "GITHUB_EVENT_PATH": str(payload or self.event()),
                  "GITHUB_REPOSITORY": "acme/org", "GITHUB_ACTOR": "octocat",
                  "GITHUB_SERVER_URL": "https://github.com", "GITHUB_RUN_ID": "42",
                  "GITHUB_STEP_SUMMARY": str(self.summary), **env}
        given = {"path": ORG, "comment": "true", **(inputs or {})}
        return run_action(self.root, {k: v for k, v in given.items() if v is not None},
                          scratch, github)

    def calls(self) -> list[dict[str, Any]]:
        log = self.gh / "calls.jsonl"
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text().splitlines()]

    def comments(self) -> list[dict[str, Any]]:
        state = self.gh / "state.json"
        return json.loads(state.read_text())["comments"] if state.exists() else []

    def seed(self, *comments: dict[str, Any]) -> None:
        (self.gh / "state.json").write_text(json.dumps({"comments": list(comments)}))

    def untouched(self) -> bool:
        """Nothing of the hostile names ran: no file made, the home folder still whole."""
        return (not list(self.tmp.rglob("pwned")) and not Path("pwned").exists()
                and (self.home / "canary").exists())


@pytest.fixture
def pr(tmp_path: Path) -> PullRequest:
    return PullRequest(tmp_path)


def test_first_run_posts_one_comment_later_runs_update_it(pr: PullRequest) -> None:
    first = pr.run()
    assert first.code == 0, first.out
    calls = pr.calls()
    assert [c["args"][:3] for c in calls] == [
        ["api", "--paginate", "repos/acme/org/issues/7/comments?per_page=100"],
        ["api", "--method", "POST"]]
    assert calls[1]["args"] == ["api", "--method", "POST", "repos/acme/org/issues/7/comments",
                                "--input", "-"]
    assert all(c["token"] == "the-workflow-token" for c in calls)
    body = json.loads(calls[1]["stdin"])["body"]
    assert body.count(MARKER) == 1 and "team `delivery`" in body and "Plant Delivery →" in body
    # where the branch started, not the base's tip: the base's own later change is not shown
    assert "Novak-Berg" not in body and "person" not in body
    assert first.outputs["comment-id"] == "1001"
    assert first.outputs["comment-url"] == "https://github.com/acme/org/pull/7#issuecomment-1001"
    assert "::notice title=kkctl::the change is posted as a comment on #7: https://" in first.out

    edit(pr.org / "org" / "people.yaml", "name: Wei Chen", "name: Wei Chen-Li")  # a new push
    git(pr.root, "commit", "-qam", "second push")
    pr.head = git(pr.root, "rev-parse", "HEAD")
    second = pr.run()
    assert second.code == 0, second.out
    patch = pr.calls()[-1]
    assert patch["args"] == ["api", "--method", "PATCH", "repos/acme/org/issues/comments/1001",
                             "--input", "-"]
    assert [c["id"] for c in pr.comments()] == [1001]
    assert "Wei Chen-Li" in pr.comments()[0]["body"]
    assert second.outputs["comment-id"] == "1001"
    assert "the comment on #7 is updated" in second.out


def test_hostile_names_only_ever_become_text(pr: PullRequest) -> None:
    run = pr.run()
    assert run.code == 0, run.out
    assert pr.untouched()
    post = pr.calls()[-1]
    assert not any("pwned" in arg or "rm -rf" in arg for c in pr.calls() for arg in c["args"])
    body = json.loads(post["stdin"])["body"]
    # Markdown-escaped text: no code span, no math, nothing a shell or GitHub acts on
    assert "\\$(touch pwned) \"\\`; rm -rf \\~\\`\"" in body
    assert "pwned" not in run.out  # the report never goes to the log, where :: would count
    assert body in pr.summary.read_text()


def test_the_comment_is_posted_when_the_change_breaks_lint(pr: PullRequest) -> None:
    edit(pr.org / "org" / "teams.yaml", "leader: okafor", "leader: nobody")
    git(pr.root, "commit", "-qam", "a leader who does not exist")
    pr.head = git(pr.root, "rev-parse", "HEAD")
    run = pr.run()
    assert run.code == 1 and run.outputs["exit-code"] == "1", run.out  # lint's verdict stands
    assert run.outputs["comment-id"] == "1001"
    assert "KK" in pr.comments()[0]["body"]  # the finding the change introduces


def test_off_by_default_and_nothing_on_other_events(pr: PullRequest) -> None:
    off = pr.run({"comment": None})  # the action's default
    assert off.code == 0 and off.outputs["comment-id"] == "", off.out
    assert pr.run({"comment": "false"}).code == 0
    push = pr.run(event="push")
    assert push.code == 0, push.out
    assert "kkctl: the event push is not a pull request: no comment to post" in push.out
    assert "::notice" not in push.out  # a log line, not an annotation on every push
    assert pr.calls() == [] and not pr.summary.exists()


def test_a_bad_comment_input_fails_the_step(pr: PullRequest) -> None:
    run = pr.run({"comment": "yes please"})
    assert run.code == 2, run.out
    assert "::error title=kkctl::the input comment must be true or false, not 'yes please'" \
        in run.out
    assert pr.calls() == []


def test_someone_elses_comment_with_the_marker_is_left_alone(pr: PullRequest) -> None:
    pr.seed({"id": 5, "body": "look " + MARKER, "user": {"login": "mallory", "type": "User"}},
            {"id": 6, "body": "lgtm", "user": ME},
            {"id": 9, "body": MARKER + "\nold report", "user": ME})
    run = pr.run()
    assert run.code == 0, run.out
    assert pr.calls()[-1]["args"][:4] == ["api", "--method", "PATCH",
                                          "repos/acme/org/issues/comments/9"]
    assert pr.comments()[0]["body"] == "look " + MARKER  # on the second page: found too
    pr.seed({"id": 5, "body": MARKER, "user": {"login": "mallory", "type": "User"}})
    run = pr.run()
    assert [c["args"][1:3] for c in pr.calls()[-3:]] == [
        ["--paginate", "repos/acme/org/issues/7/comments?per_page=100"],
        ["user"],  # whose token is this? the workflow's own cannot say: so not mallory
        ["--method", "POST"]]
    assert [c["id"] for c in pr.comments()] == [5, 1002]
    assert pr.comments()[0]["body"] == MARKER  # mallory's comment, untouched


def test_a_fork_gets_the_job_summary_not_a_failure(pr: PullRequest) -> None:
    payload = pr.event(head={"sha": pr.head, "repo": {"full_name": "mallory/org"}})
    run = pr.run(payload=payload, FAKE_GH_MODE="read-only")
    assert run.code == 0, run.out
    assert "::notice title=kkctl::the token of this run may only read (a pull request from a " \
           "fork, or by Dependabot): no comment on #7" in run.out
    assert MARKER in pr.summary.read_text() and pr.comments() == []


def test_a_read_only_token_on_the_own_repository_says_which_permission(pr: PullRequest) -> None:
    run = pr.run(FAKE_GH_MODE="read-only")
    assert run.code == 2 and run.outputs["exit-code"] == "0", run.out  # lint passed
    assert "::error title=kkctl::the token may not comment on pull request #7" in run.out
    assert "permissions: {pull-requests: write}" in run.out


def test_shallow_checkout_says_how_to_fetch_and_fences_what_diff_prints(
        pr: PullRequest, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "feature",
                    f"file://{pr.root}", str(clone)], check=True, capture_output=True)
    pr.root = clone
    run = pr.run()
    assert run.code == 2, run.out
    lines = run.out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("::stop-commands::"))
    token = lines[start].split("::")[2]
    end = lines.index(f"::{token}::")
    assert len(token) == 32 and "fetch-depth" in "\n".join(lines[start:end])
    assert "::error title=kkctl::kkctl diff could not compare" in "\n".join(lines[end:])
    assert pr.calls() == []


@pytest.mark.parametrize("field,value", [("head", {"sha": "--output=/tmp/x"}),
                                         ("base", {"sha": "HEAD"}), ("number", "7; id")])
def test_an_event_that_is_not_a_pull_request_is_refused(
        pr: PullRequest, field: str, value: Any) -> None:
    run = pr.run(payload=pr.event(**{field: value}))
    assert run.code == 2, run.out
    assert "::error title=kkctl::the event file" in run.out and pr.calls() == []


def test_a_huge_change_fits_in_one_comment(pr: PullRequest) -> None:
    people = pr.org / "org" / "people.yaml"
    people.write_text(people.read_text() + "".join(
        f"  - {{id: p{n:04d}, name: Person number {n} with a rather long name}}\n"
        for n in range(4000)))
    git(pr.root, "commit", "-qam", "many people")
    pr.head = git(pr.root, "rev-parse", "HEAD")
    run = pr.run()
    assert run.code in (0, 1), run.out  # a person in no team may be a finding
    body = pr.comments()[0]["body"]
    assert len(body) <= LIMIT and MARKER in body  # the fake gh refuses more, as GitHub does
    assert body in pr.summary.read_text()


def test_messages_speak_the_organisations_language(pr: PullRequest) -> None:
    edit(pr.org / "kkctl.yaml", "locale: en", "locale: ru")
    run = pr.run(FAKE_GH_MODE="read-only")
    assert run.code == 2, run.out
    assert "::error title=kkctl::токену нельзя комментировать pull request #7" in run.out
    assert "kkctl: событие push — не pull request" in pr.run(event="push").out


def test_the_api_call_is_guarded_whatever_kkctl_diff_printed() -> None:
    """kkctl diff keeps its Markdown within the limit and marked; the action does not rely on
    that: a report without the marker gets it, an over-long one is cut at a line."""
    from kkctl.ci_comment import Context, fit, with_marker

    assert with_marker("report\n") == f"{MARKER}\nreport\n"
    assert with_marker(f"report\n{MARKER}\n") == f"report\n{MARKER}\n"
    env = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/org",
           "GITHUB_RUN_ID": "42"}
    body = fit(with_marker("- a line of the report\n" * 4000), Context("ru", env))
    assert len(body) <= LIMIT and body.startswith(MARKER)
    kept, notice = body.rsplit("\n\n", 1)
    assert kept.endswith("- a line of the report")  # whole lines only
    assert notice == ("**Отчёт обрезан, чтобы уложиться в предел GitHub — 65 536 символов в "
                      "комментарии.** Весь отчёт — в сводке задания: "
                      "https://github.com/acme/org/actions/runs/42\n")
    assert fit("short\n", Context("en", env)) == "short\n"


def test_kkctl_diff_runs_without_the_token_from_an_empty_folder(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Defence in depth: were reading the change ever to run something, it would find no
    token to use, and no file of the change in its folder to pass for a revision."""
    from kkctl import ci_comment

    seen: dict[str, Any] = {}

    def fake_run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        seen.update(args=args, env=kwargs["env"], cwd=kwargs["cwd"],
                    files=list(Path(kwargs["cwd"]).iterdir()))
        Path(args[args.index("--output") + 1]).write_text("report\n")
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(ci_comment.subprocess, "run", fake_run)
    env = {"GH_TOKEN": "secret", "GITHUB_TOKEN": "secret", "ACTIONS_RUNTIME_TOKEN": "secret",
           "PATH": "/usr/bin"}
    base, head = "a" * 40, "b" * 40
    text = ci_comment.report(ci_comment.Context("en", env), str(tmp_path), base, head)
    assert text == "report\n" and seen["files"] == []
    assert "secret" not in seen["env"].values() and seen["env"]["PATH"] == "/usr/bin"
    assert seen["args"][1:6] == ["-m", "kkctl", "diff", base, head]
    assert seen["args"][6] == str(tmp_path)
