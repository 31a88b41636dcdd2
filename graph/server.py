"""The project-local Neo4j Community server for machines without a Docker engine.

``tracegraph db start`` resolves the real server from Maven Central (``graph/neo4j/pom.xml``, once,
into a cache shared by every data dir), lays out a Neo4j home under the data dir, writes its config,
sets the initial password, starts ``org.neo4j.server.CommunityEntryPoint`` (the class the official
distribution runs) in the background and waits until Bolt accepts the configured credentials.
``stop`` ends exactly that process, found by its pid file.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import psutil
from neo4j import GraphDatabase
from neo4j import exceptions as neo4j_errors

from tracegraph.errors import LocalServerError
from tracegraph.settings import Settings

# The one pin: docker-compose.yml and the testcontainers fixture are checked against it by tests.
# 5.26 is the LTS line that runs on Java 17 (2025.x+ needs Java 21); APOC core on Maven Central ends
# at 5.26.19, so the server is pinned to that patch.
NEO4J_VERSION = "5.26.19"
APOC_VERSION = "5.26.19"
BROWSER_VERSION = "5.24.0"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
SUPPORTED_JAVA = (17, 21)

# The JVM flags the official neo4j.conf passes (server.jvm.additional), minus the ones for TLS.
_JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
)


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    home: Path
    bolt_uri: str
    http_url: str

    @property
    def browser_url(self) -> str:
        return f"{self.http_url}/browser/"

    def describe(self) -> str:
        if not self.running:
            return f"Neo4j {NEO4J_VERSION} is not running (home: {self.home})"
        return (
            f"Neo4j {NEO4J_VERSION} Community is running (pid {self.pid}, home {self.home})\n"
            f"  Bolt:    {self.bolt_uri}\n"
            f"  HTTP:    {self.http_url}\n"
            f"  Browser: {self.browser_url}"
        )


@dataclass(frozen=True)
class StartResult:
    status: ServerStatus
    already_running: bool


class LocalNeo4j:
    """One local server: a Neo4j home under ``<data dir>/neo4j`` and its ports."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.home = settings.data_dir / "neo4j"
        self.dist = settings.cache_dir / f"neo4j-{NEO4J_VERSION}-apoc-{APOC_VERSION}"
        self.pid_file = self.home / "run" / "tracegraph-neo4j.pid"
        self.console_log = self.home / "logs" / "console.log"
        self.log_file = self.home / "logs" / "neo4j.log"

    # -- what is there -------------------------------------------------------------------

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.settings.neo4j_bolt_port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.neo4j_http_port}"

    def _pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        return pid if self._is_our_server(pid) else None

    def _is_our_server(self, pid: int) -> bool:
        try:
            proc = psutil.Process(pid)
            if proc.status() == psutil.STATUS_ZOMBIE:
                return False
            cmdline = proc.cmdline()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            return False
        return ENTRY_POINT in cmdline and f"--home-dir={self.home}" in cmdline

    def status(self) -> ServerStatus:
        pid = self._pid()
        return ServerStatus(
            running=pid is not None,
            pid=pid,
            home=self.home,
            bolt_uri=self.bolt_uri,
            http_url=self.http_url,
        )

    # -- provisioning --------------------------------------------------------------------

    def java(self) -> str:
        java_home = os.environ.get("JAVA_HOME")
        candidate = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
        if not candidate or not Path(candidate).exists():
            raise LocalServerError(
                "Java 17 or 21 is needed to run Neo4j locally: no 'java' on PATH and JAVA_HOME"
                " unset (install a JDK, e.g. 'apt-get install openjdk-17-jre-headless')"
            )
        out = subprocess.run(
            [candidate, "-version"], capture_output=True, text=True, check=False
        ).stderr
        match = re.search(r'version "(\d+)', out)
        major = int(match[1]) if match else 0
        if major not in SUPPORTED_JAVA:
            raise LocalServerError(
                f"Neo4j {NEO4J_VERSION} runs on Java 17 or 21; {candidate} is Java {major or '?'}"
                " (point JAVA_HOME at a 17 or 21 JDK)"
            )
        return candidate

    def provision(self) -> Path:
        """Resolve the server's jars into the cache once; later calls download nothing."""
        marker = self.dist / ".complete"
        if marker.exists():
            return self.dist
        mvn = shutil.which("mvn")
        if not mvn:
            raise LocalServerError(
                "Maven is needed once to fetch Neo4j from Maven Central: no 'mvn' on PATH"
                " (install it, e.g. 'apt-get install maven')"
            )
        staging = self.dist.with_name(self.dist.name + ".partial")
        shutil.rmtree(staging, ignore_errors=True)
        (staging / "lib").mkdir(parents=True)
        (staging / "plugins").mkdir()
        pom = staging / "pom.xml"
        pom.write_bytes(files("graph").joinpath("neo4j/pom.xml").read_bytes())
        print(f"Fetching Neo4j {NEO4J_VERSION} + APOC {APOC_VERSION} from Maven Central (once)...")
        proc = subprocess.run(
            [
                mvn,
                "-B",
                "-q",
                "-f",
                str(pom),
                f"-Dneo4j.version={NEO4J_VERSION}",
                f"-Dapoc.version={APOC_VERSION}",
                f"-Dbrowser.version={BROWSER_VERSION}",
                "dependency:copy-dependencies",
                f"-DoutputDirectory={staging / 'lib'}",
                "-DincludeScope=runtime",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
            raise LocalServerError(f"mvn could not resolve Neo4j {NEO4J_VERSION}:\n{tail}")
        # APOC registers procedures from the plugins dir and its extensions from the classpath,
        # as the official launcher arranges; keep the two apart like the distribution does.
        for jar in (staging / "lib").glob("apoc-*.jar"):
            jar.rename(staging / "plugins" / jar.name)
        if not any((staging / "lib").glob(f"neo4j-{NEO4J_VERSION}.jar")):
            raise LocalServerError(f"mvn finished but neo4j-{NEO4J_VERSION}.jar is missing")
        (staging / ".complete").write_text(NEO4J_VERSION)
        shutil.rmtree(self.dist, ignore_errors=True)
        staging.rename(self.dist)
        return self.dist

    def _write_config(self) -> None:
        s = self.settings
        for sub in ("conf", "data", "logs", "run", "import"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        conf = f"""# Written by `tracegraph db start`: change settings (env, .env), not this.
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.listen_address=127.0.0.1:{s.neo4j_bolt_port}
server.bolt.advertised_address=127.0.0.1:{s.neo4j_bolt_port}
server.http.listen_address=127.0.0.1:{s.neo4j_http_port}
server.http.advertised_address=127.0.0.1:{s.neo4j_http_port}
server.https.enabled=false
server.memory.heap.initial_size={s.neo4j_heap_size}
server.memory.heap.max_size={s.neo4j_heap_size}
server.memory.pagecache.size={s.neo4j_pagecache_size}
server.directories.plugins={self.dist / "plugins"}
server.directories.import={self.home / "import"}
dbms.security.procedures.unrestricted=apoc.*
dbms.usage_report.enabled=false
db.tx_log.rotation.retention_policy=1 files
"""
        (self.home / "conf" / "neo4j.conf").write_text(conf)

    def _env(self) -> dict[str, str]:
        return {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(self.home / "conf")}

    def _classpath(self) -> str:
        return os.pathsep.join(
            [
                str(self.dist / "plugins" / "*"),
                str(self.home / "conf" / "*"),
                str(self.dist / "lib" / "*"),
            ]
        )

    def _set_initial_password(self, java: str) -> None:
        if (self.home / "data" / "dbms" / "auth.ini").exists():
            return
        proc = subprocess.run(
            [
                java,
                "-cp",
                self._classpath(),
                ADMIN_TOOL,
                "dbms",
                "set-initial-password",
                self.settings.neo4j_password.get_secret_value(),
            ],
            capture_output=True,
            text=True,
            env=self._env(),
            check=False,
        )
        if proc.returncode != 0:
            raise LocalServerError(f"could not set the initial password: {proc.stderr.strip()}")

    @staticmethod
    def _port_taken(port: int) -> bool:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                return True
        return False

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> StartResult:
        current = self.status()
        if current.running:
            return StartResult(status=current, already_running=True)
        for name, port in (
            ("NEO4J_BOLT_PORT", self.settings.neo4j_bolt_port),
            ("NEO4J_HTTP_PORT", self.settings.neo4j_http_port),
        ):
            if self._port_taken(port):
                raise LocalServerError(
                    f"port {port} is already in use on 127.0.0.1 (another Neo4j?); set {name}"
                    " to a free port or stop what holds it"
                )
        java = self.java()
        self.provision()
        self._write_config()
        self._set_initial_password(java)
        heap = self.settings.neo4j_heap_size
        command = [
            java,
            f"-Xms{heap}",
            f"-Xmx{heap}",
            *_JVM_FLAGS,
            "-cp",
            self._classpath(),
            ENTRY_POINT,
            f"--home-dir={self.home}",
            f"--config-dir={self.home / 'conf'}",
        ]
        # posix_spawn in a new session: the server outlives the CLI that started it, and no Popen
        # object is left to complain about a child it never waited for.
        log_fd = os.open(self.console_log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        null_fd = os.open(os.devnull, os.O_RDONLY)
        try:
            pid = os.posix_spawn(
                java,
                command,
                self._env(),
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, null_fd, 0),
                    (os.POSIX_SPAWN_DUP2, log_fd, 1),
                    (os.POSIX_SPAWN_DUP2, log_fd, 2),
                ],
                setsid=True,
            )
        finally:
            os.close(log_fd)
            os.close(null_fd)
        self.pid_file.write_text(str(pid))
        self._wait_until_ready(pid)
        return StartResult(status=self.status(), already_running=False)

    @staticmethod
    def _exit_code(pid: int) -> int | None:
        """The exit code if the child has ended (reaping it), else None."""
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return None if psutil.pid_exists(pid) else -1
        return os.waitstatus_to_exitcode(status) if done else None

    def _wait_until_ready(self, pid: int) -> None:
        timeout = self.settings.neo4j_start_timeout_seconds
        deadline = time.monotonic() + timeout
        auth = (self.settings.neo4j_user, self.settings.neo4j_password.get_secret_value())
        while time.monotonic() < deadline:
            code = self._exit_code(pid)
            if code is not None:
                self.pid_file.unlink(missing_ok=True)
                raise LocalServerError(
                    f"Neo4j exited with code {code} while starting; see {self.log_file}"
                    f" and {self.console_log}"
                )
            try:
                with GraphDatabase.driver(self.bolt_uri, auth=auth) as driver:
                    driver.verify_connectivity()
                return
            except neo4j_errors.AuthError as e:
                raise LocalServerError(
                    f"Neo4j in {self.home} is up but rejected NEO4J_PASSWORD: it was initialised"
                    f" with another password. Use that one, or `tracegraph db stop` and delete"
                    f" {self.home / 'data'} to start afresh"
                ) from e
            except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError):
                time.sleep(0.5)
        raise LocalServerError(
            f"Neo4j did not come up within {timeout:.0f} s (pid {pid} left running);"
            f" see {self.log_file}"
        )

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server this data dir started; return False if none was running."""
        pid = self._pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        proc = psutil.Process(pid)
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except psutil.TimeoutExpired:
            proc.kill()
            with contextlib.suppress(psutil.TimeoutExpired):
                proc.wait(timeout=10)
        self.pid_file.unlink(missing_ok=True)
        return True
