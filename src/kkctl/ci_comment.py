"""``python -m kkctl.ci_comment --enabled true PATH``: the GitHub Action's pull-request comment.

On a pull request (events ``pull_request`` and ``pull_request_target``) the change that
``kkctl diff --format markdown`` finds between the point where the pull request branched off
its base and its head is posted as ONE comment; later runs find that comment by its hidden
marker and update it. Any other event (a push, a schedule) does nothing.

The pull request's author is not trusted (docs/security.md): the names in the YAML, the
branch, the files. So the comment's body reaches ``gh api`` as JSON on standard input, never
as an argument or through a shell; the commits compared are checked to be commit ids before
they reach a command; ``kkctl diff`` runs without the token in its environment, from an empty
folder (so no file of the change can pass for a revision), and whatever it prints is fenced
with ``::stop-commands::`` so that no line of it becomes a workflow command. Only this
module's own messages are workflow commands, their arguments encoded.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

MARKER = "<!-- kkctl-diff -->"
LIMIT = 65536  # characters in one GitHub comment
PR_EVENTS = ("pull_request", "pull_request_target")
READ_ONLY_ACTORS = ("dependabot[bot]",)  # their pull_request runs get a read-only token
_SHA = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?\Z")
_REPO = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+\Z")
_URL = re.compile(r"https?://[^\s]+\Z")

MESSAGES: dict[str, dict[str, str]] = {
    "flag": {
        "en": "the input comment must be true or false, not '{value}'",
        "ru": "вход comment должен быть true или false, а не '{value}'",
    },
    "not_pr": {
        "en": "the event {event} is not a pull request: no comment to post",
        "ru": "событие {event} — не pull request: комментировать нечего",
    },
    "event": {
        "en": "the event file {path} names no pull request kkctl can compare ({reason}); "
              "run the action on pull_request or pull_request_target",
        "ru": "в файле события {path} нет pull request, который kkctl может сравнить "
              "({reason}); запускайте action на pull_request или pull_request_target",
    },
    "repository": {
        "en": "GITHUB_REPOSITORY is '{value}', not owner/name: run the action in a GitHub "
              "Actions job",
        "ru": "GITHUB_REPOSITORY равно '{value}', а не владелец/имя: запускайте action в "
              "задании GitHub Actions",
    },
    "no_merge_base": {
        "en": "where the pull request branched off {base} is not in the checkout (too "
              "shallow?); comparing with {base} itself, so changes merged into the base since "
              "then show reversed; check out with fetch-depth: 0",
        "ru": "точки, где pull request ответвился от {base}, нет в клоне (слишком мелкий?); "
              "сравниваю с самим {base}, и изменения, влитые в базовую ветку после, видны "
              "наоборот; делайте checkout с fetch-depth: 0",
    },
    "diff_failed": {
        "en": "kkctl diff could not compare {base}..{head} (exit code {code}); its message is "
              "above; the base and head commits must be in the checkout (actions/checkout "
              "with fetch-depth: 0)",
        "ru": "kkctl diff не смог сравнить {base}..{head} (код выхода {code}); его сообщение "
              "выше; базовый и последний коммиты должны быть в клоне (actions/checkout с "
              "fetch-depth: 0)",
    },
    "gh_missing": {
        "en": "the GitHub CLI (gh) is not installed: it is on GitHub's runners; on your own "
              "runner install it, or set comment: false",
        "ru": "GitHub CLI (gh) не установлен: на раннерах GitHub он есть; на своём раннере "
              "установите его или задайте comment: false",
    },
    "gh_failed": {
        "en": "gh api {what} failed: {reason}",
        "ru": "gh api {what} не удался: {reason}",
    },
    "read_only": {
        "en": "the token of this run may only read (a pull request from a fork, or by "
              "Dependabot): no comment on #{number}; the change is in the job summary; "
              "docs/ci.md, \"Pull requests from forks\", says how to comment on them",
        "ru": "токен этого запуска только читает (pull request из форка или от Dependabot): "
              "комментария к #{number} нет; изменение — в сводке задания; как комментировать "
              "такие pull request, см. docs/ci.md, «Pull requests from forks»",
    },
    "forbidden": {
        "en": "the token may not comment on pull request #{number} ({reason}): give the job "
              "permissions: {{pull-requests: write}} (docs/ci.md)",
        "ru": "токену нельзя комментировать pull request #{number} ({reason}): дайте "
              "заданию permissions: {{pull-requests: write}} (docs/ci.md)",
    },
    "posted": {
        "en": "the change is posted as a comment on #{number}: {url}",
        "ru": "изменение опубликовано комментарием к #{number}: {url}",
    },
    "updated": {
        "en": "the comment on #{number} is updated with the change: {url}",
        "ru": "комментарий к #{number} обновлён: {url}",
    },
    "truncated": {
        "en": "**The report is cut here to fit GitHub's limit of 65,536 characters in a "
              "comment.** The whole report is in the job summary: {run}",
        "ru": "**Отчёт обрезан, чтобы уложиться в предел GitHub — 65 536 символов в "
              "комментарии.** Весь отчёт — в сводке задания: {run}",
    },
    "internal": {
        "en": "the comment could not be made ({error}); please report this to kkctl's "
              "maintainers",
        "ru": "комментарий не удалось сделать ({error}); сообщите, пожалуйста, "
              "разработчикам kkctl",
    },
}


class CommentError(Exception):
    """The comment cannot be made (exit code 2): a message id and its arguments."""

    def __init__(self, message_id: str, **args: object) -> None:
        super().__init__(message_id)
        self.message_id, self.args_ = message_id, args


@dataclass
class PullRequest:
    number: int
    base: str  # commit ids, checked
    head: str
    fork: bool  # the head lives in another repository: its runs get a read-only token


@dataclass
class Context:
    """What one run knows: the language of its messages and GitHub's environment."""

    lang: str
    env: dict[str, str]

    def say(self, level: str | None, message_id: str, **args: object) -> None:
        """One workflow command (``::notice``, ``::error``) in the run's language, its
        arguments encoded so that none can end it or start another; ``level`` None: a line
        of the log only, not an annotation."""
        from kkctl.markup import github_data

        text = github_data(message(message_id, self.lang, **args))
        print(f"::{level} title=kkctl::{text}" if level else f"kkctl: {text}", flush=True)


def message(message_id: str, lang: str, **args: object) -> str:
    from kkctl.messages import fill

    table = MESSAGES[message_id]
    return fill(table.get(lang) or table["en"], lang, dict(args))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kkctl.ci_comment")
    parser.add_argument("--enabled", default="true")
    parser.add_argument("path", nargs="?", default=".")
    options = parser.parse_args(argv)
    context = Context(_language(options.path), dict(os.environ))
    try:
        return run(context, options.enabled, options.path)
    except CommentError as err:
        context.say("error", err.message_id, **err.args_)
        return 2
    except Exception as err:  # the promise: one line, never a traceback
        context.say("error", "internal", error=f"{type(err).__name__}: {err}")
        return 2


def run(context: Context, enabled: str, path: str) -> int:
    if enabled.strip().lower() in ("", "false"):
        return 0
    if enabled.strip().lower() != "true":
        raise CommentError("flag", value=enabled)
    event = context.env.get("GITHUB_EVENT_NAME", "")
    if event not in PR_EVENTS:
        context.say(None, "not_pr", event=event or "?")  # every push: no annotation
        return 0
    pull = read_event(context.env.get("GITHUB_EVENT_PATH", ""))
    repository = context.env.get("GITHUB_REPOSITORY", "")
    if not _REPO.match(repository):
        raise CommentError("repository", value=repository)
    base = branch_point(context, Path(path), pull)
    body = fit(with_marker(report(context, path, base, pull.head)), context)
    summary = context.env.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as out:
            out.write(body + "\n")
    return publish(context, GitHub(context.env, repository), pull, body)


def read_event(path: str) -> PullRequest:
    """The pull request of the event payload GitHub wrote, its commit ids checked."""
    try:
        with open(path, encoding="utf-8") as file:
            data = json.load(file)
        pull = data["pull_request"]
        number, base, head = pull["number"], pull["base"]["sha"], pull["head"]["sha"]
        base_repo = (pull["base"].get("repo") or {}).get("full_name")
        head_repo = (pull["head"].get("repo") or {}).get("full_name")
    except (OSError, ValueError, LookupError, TypeError, AttributeError) as err:
        raise CommentError("event", path=path or "GITHUB_EVENT_PATH", reason=str(err)) from err
    for name, value in (("base.sha", base), ("head.sha", head)):
        if not isinstance(value, str) or not _SHA.match(value):
            raise CommentError("event", path=path, reason=f"{name} is not a commit id")
    if not isinstance(number, int) or isinstance(number, bool) or number <= 0:
        raise CommentError("event", path=path, reason="number is not a positive integer")
    return PullRequest(number, base, head, fork=head_repo is None or head_repo != base_repo)


def branch_point(context: Context, path: Path, pull: PullRequest) -> str:
    """Where the pull request branched off its base: the change GitHub's "Files changed"
    shows. Comparing with the base's tip instead would show whatever was merged into the
    base since as reverted by the pull request."""
    from kkctl.diff import gitsource  # its hardened git: the repository is not trusted

    folder = path if path.is_dir() else path.parent
    try:
        repo = gitsource.toplevel(folder.absolute())
        done = gitsource.run_git(repo, "merge-base", pull.base, pull.head)
    except gitsource.GitError:
        return pull.base  # kkctl diff then says what is wrong
    found = done.stdout.decode("ascii", "replace").strip()
    if done.returncode == 0 and _SHA.match(found):
        return found
    for commit in (pull.base, pull.head):
        if gitsource.run_git(repo, "cat-file", "-e", f"{commit}^{{commit}}").returncode != 0:
            return pull.base  # not fetched at all: kkctl diff says how to fetch it
    context.say("notice", "no_merge_base", base=pull.base[:12])
    return pull.base


def report(context: Context, path: str, base: str, head: str) -> str:
    """``kkctl diff BASE HEAD PATH --format markdown``, run as a user runs it."""
    env = {k: v for k, v in context.env.items() if "TOKEN" not in k.upper()}  # GH_TOKEN...
    env["NO_COLOR"] = "1"
    project = str(Path(path).absolute())
    with tempfile.TemporaryDirectory(prefix="kkctl-comment-") as empty:
        output = Path(empty) / "report.md"
        folder = Path(empty) / "cwd"  # holds nothing a revision could be mistaken for
        folder.mkdir()
        done = subprocess.run(
            [sys.executable, "-m", "kkctl", "diff", base, head, project, "--format",
             "markdown", "--output", str(output)],
            cwd=folder, env=env, capture_output=True, text=True, check=False)
        fenced(done.stdout + done.stderr)
        # 1 is "the change introduces findings" where --fail-on says so: a report all the same
        if done.returncode not in (0, 1) or not output.is_file():
            raise CommentError("diff_failed", base=base[:12], head=head[:12],
                               code=done.returncode)
        return output.read_text(encoding="utf-8")


def fenced(text: str) -> None:
    """Print what kkctl diff said with workflow commands stopped: a file name or a YAML
    value of the change that starts a line with ``::`` stays text."""
    if not text.strip():
        return
    token = secrets.token_hex(16)
    print(f"::stop-commands::{token}")
    print(text.rstrip("\n"))
    print(f"::{token}::", flush=True)


def with_marker(body: str) -> str:
    return body if MARKER in body else f"{MARKER}\n{body}"


def fit(body: str, context: Context) -> str:
    """The body within GitHub's limit: cut at a line, with a notice saying where the whole
    report is (kkctl diff keeps within the limit itself; this guards the API call)."""
    if len(body) <= LIMIT:
        return body
    env = context.env
    run_url = "{}/{}/actions/runs/{}".format(env.get("GITHUB_SERVER_URL", "https://github.com"),
                                             env.get("GITHUB_REPOSITORY", ""),
                                             env.get("GITHUB_RUN_ID", ""))
    notice = "\n\n" + message("truncated", context.lang, run=run_url) + "\n"
    cut = body[:LIMIT - len(notice)]
    cut = cut[:cut.rfind("\n")] if "\n" in cut else cut
    return cut + notice


class GitHub:
    """The REST API through ``gh api``, with the workflow's token from the environment."""

    def __init__(self, env: dict[str, str], repository: str) -> None:
        self.repository = repository
        self.env = {**env, "GH_PROMPT_DISABLED": "1", "GH_NO_UPDATE_NOTIFIER": "1",
                    "NO_COLOR": "1"}
        host = urlparse(env.get("GITHUB_SERVER_URL", "")).hostname
        if host and host != "github.com":  # GitHub Enterprise Server
            self.env["GH_HOST"] = host
            self.env.setdefault("GH_ENTERPRISE_TOKEN", env.get("GH_TOKEN", ""))

    def call(self, what: str, args: list[str], body: dict[str, Any] | None = None
             ) -> tuple[int, str, str]:
        stdin = json.dumps(body) if body is not None else None
        try:
            done = subprocess.run(["gh", "api", *args], input=stdin, env=self.env,
                                  capture_output=True, text=True, timeout=120, check=False)
        except FileNotFoundError as err:
            raise CommentError("gh_missing") from err
        except subprocess.TimeoutExpired as err:
            raise CommentError("gh_failed", what=what, reason="timeout") from err
        return done.returncode, done.stdout, done.stderr

    def json(self, what: str, args: list[str], body: dict[str, Any] | None = None) -> Any:
        code, out, err = self.call(what, args, body)
        if code != 0:
            raise ApiError(what, err.strip() or out.strip())
        return json.loads(out) if out.strip() else None

    def comments(self, number: int) -> list[dict[str, Any]]:
        """Every comment of the pull request: ``--paginate`` prints one array per page."""
        code, out, err = self.call("comments", [
            "--paginate", f"repos/{self.repository}/issues/{number}/comments?per_page=100"])
        if code != 0:
            raise ApiError("comments", err.strip() or out.strip())
        found: list[dict[str, Any]] = []
        decoder, at = json.JSONDecoder(), 0
        while at < len(out):
            if out[at].isspace():
                at += 1
                continue
            page, at = decoder.raw_decode(out, at)
            found.extend(c for c in page if isinstance(c, dict))
        return found

    def login(self) -> str | None:
        """Whose token this is; None for the workflow's own token (an app may not ask)."""
        code, out, _ = self.call("user", ["user"])
        try:
            login = json.loads(out).get("login") if code == 0 else None
        except (ValueError, AttributeError):
            return None
        return login if isinstance(login, str) else None


class ApiError(Exception):
    def __init__(self, what: str, reason: str) -> None:
        super().__init__(reason)
        self.what, self.reason = what, reason

    @property
    def forbidden(self) -> bool:
        return "HTTP 403" in self.reason or "Resource not accessible" in self.reason


def own_comment(api: GitHub, comments: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first earlier comment of this action: it carries the marker and was written with
    this token. The workflow's token writes as a bot, which no person can be; a person's
    token (asked only when needed) writes as that person. Someone else's comment quoting the
    marker is never edited."""
    marked = [c for c in comments if MARKER in str(c.get("body") or "")
              and isinstance(c.get("id"), int)]
    bots = [c for c in marked if (c.get("user") or {}).get("type") == "Bot"]
    if bots:
        return bots[0]
    if not marked:
        return None
    me = api.login()
    return next((c for c in marked if me and (c.get("user") or {}).get("login") == me), None)


def publish(context: Context, api: GitHub, pull: PullRequest, body: str) -> int:
    try:
        earlier = own_comment(api, api.comments(pull.number))
        if earlier is None:
            done = api.json("POST", ["--method", "POST",
                                     f"repos/{api.repository}/issues/{pull.number}/comments",
                                     "--input", "-"], {"body": body})
            said = "posted"
        else:
            done = api.json("PATCH", ["--method", "PATCH",
                                      f"repos/{api.repository}/issues/comments/{earlier['id']}",
                                      "--input", "-"], {"body": body})
            said = "updated"
    except ApiError as err:
        read_only = pull.fork or context.env.get("GITHUB_ACTOR") in READ_ONLY_ACTORS
        if err.forbidden and read_only:
            context.say("notice", "read_only", number=pull.number)
            return 0
        if err.forbidden:
            raise CommentError("forbidden", number=pull.number, reason=err.reason) from err
        raise CommentError("gh_failed", what=err.what, reason=err.reason) from err
    comment = done if isinstance(done, dict) else {}
    ident = comment.get("id")
    url = comment.get("html_url") if _URL.match(str(comment.get("html_url"))) else ""
    outputs = context.env.get("GITHUB_OUTPUT")
    if outputs and isinstance(ident, int):
        with open(outputs, "a", encoding="utf-8") as out:
            out.write(f"comment-id={ident}\ncomment-url={url}\n")
    context.say("notice", said, number=pull.number, url=url or ident or "")
    return 0


def _language(path: str) -> str:
    """The organisation's language (``organisation.locale``) for this run's messages, else
    the environment's (:func:`kkctl.i18n.choose`)."""
    from kkctl.i18n import choose

    try:
        from kkctl.loader import Options, Reader, declared_locale
        from kkctl.project import locate

        project = locate(path)
        data = Reader(project, Options(use_cache=False)).read(project.project_file).data
        return choose(None, declared_locale(data))
    except Exception:  # the language of the messages never stops the comment
        return choose(None, None)


if __name__ == "__main__":
    sys.exit(main())
