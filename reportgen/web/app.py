"""The Flask application: sessions, same-origin checks, the token, Chinese error pages, `serve`.

Flask because it is small, well kept, renders Jinja (which reportgen already uses) with
autoescape, and has an in-process test client; waitress serves it because it is a production
WSGI server in pure Python that runs the same on Linux and on a Windows office PC.
"""

from __future__ import annotations

import ipaddress
import secrets
import socket
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, abort, render_template, request, session
from werkzeug.exceptions import HTTPException

from .. import limits
from ..paths import templates_dir
from .jobs import JobStore

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}
ERRORS = {
    400: ("请求无效", "表单内容不完整或无效，请返回上一页重新填写。"),
    403: ("无权访问", "需要访问口令：请使用启动 reportgen serve 时给出的带 token 的地址打开本页。"),
    404: ("找不到页面", "该页面或文件不存在，或属于另一次会话（任务只能在上传它的浏览器中打开），"
                   "或已超过保留时间被清理。"),
    405: ("请求方式不对", "请从页面上的按钮或链接进入。"),
    413: ("文件太大", f"上传的文件超过限制（{limits.FILE_BYTES}，每次上传合计）。真实的决算工作簿通常小于 1 MB，"
                  "请检查是否选错了文件。"),
    500: ("内部错误", "处理请求时出错，已上传的文件和生成的文档未受影响。请重试；问题持续时请联系维护人员。"),
}


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class StartError(Exception):
    """A reason `serve` will not start, in Chinese."""


def create_app(data: Path, *, token: str | None = None, keep_hours: float = 24, loopback_only: bool = True,
               examples: list[Path] | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(templates_dir() / "web"))
    app.config.update(
        SECRET_KEY=secrets.token_bytes(32),  # per server start: sessions (and their jobs) end with it
        MAX_CONTENT_LENGTH=limits.FILE_BYTES.value,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
    )
    app.jinja_env.autoescape = True  # every template, whatever its suffix
    app.extensions["jobs"] = JobStore(data / "jobs", keep_hours)
    app.extensions["examples"] = [p for p in examples or [] if p.is_file()]
    app.extensions["token"] = token

    @app.before_request
    def guard():
        host = (request.host or "").rsplit(":", 1)[0] if not request.host.startswith("[") else \
            request.host.split("]")[0] + "]"
        if loopback_only and not is_loopback(host):
            abort(400)  # another name resolving to 127.0.0.1 (DNS rebinding) gets nothing
        if token:
            given = request.args.get("token")
            if given and secrets.compare_digest(given, token):
                session["authed"] = True
            if not session.get("authed"):
                abort(403)
        if request.method == "POST":
            origin = request.headers.get("Origin") or request.headers.get("Referer")
            if not origin or urlsplit(origin).netloc != request.host:
                abort(403, "cross-origin")
        session.setdefault("owner", secrets.token_urlsafe(24))

    @app.after_request
    def headers(resp):
        resp.headers.setdefault("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                                "style-src 'self' 'unsafe-inline'; script-src 'none'; frame-ancestors 'self'; "
                                "form-action 'self'; base-uri 'none'")
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "same-origin"
        resp.headers.setdefault("Cache-Control", "no-store")
        return resp

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = exc.code or 500
        title, text = ERRORS.get(code, (f"错误 {code}", "请求无法完成。"))
        if code == 403 and exc.description == "cross-origin":
            text = "表单必须从本页面提交（来源检查未通过）。请刷新页面后重试。"
        return render_template("error.html", code=code, title=title, text=text), code

    @app.errorhandler(Exception)
    def internal(exc: Exception):
        app.logger.exception("internal error")
        title, text = ERRORS[500]
        return render_template("error.html", code=500, title=title, text=text), 500

    from .views import bp
    app.register_blueprint(bp)
    return app


def check_bind(host: str, token: str | None) -> None:
    if not is_loopback(host) and not token:
        raise StartError(f"拒绝启动：--host {host} 不是本机回环地址，局域网中的其他电脑也能访问；"
                         "请同时给出 --token 口令（如 --token $(openssl rand -hex 16)），或去掉 --host 只在本机使用。")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def serve(host: str, port: int, data: Path, token: str | None, keep_hours: float,
          examples: list[Path] | None = None) -> None:
    """Run the app with waitress until interrupted."""
    from waitress import serve as waitress_serve

    check_bind(host, token)
    app = create_app(data, token=token, keep_hours=keep_hours, loopback_only=is_loopback(host),
                     examples=examples)
    shown = f"[{host}]" if ":" in host else host
    print(f"reportgen 网页已启动：http://{shown}:{port}/" + (f"?token={token}" if token else "")
          + "（按 Ctrl+C 停止）", flush=True)
    waitress_serve(app, host=host, port=port, threads=8, max_request_body_size=limits.FILE_BYTES.value + 1024 * 1024,
                   _quiet=True)
