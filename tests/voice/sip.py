"""Real SIP peers for the voice tests: sipp callers and agent phones on loopback."""

from __future__ import annotations

import hashlib
import re
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tawasul.core import crypto
from tawasul.sim.sip import free_udp_port, write_dtmf_pcap

SCENARIOS = Path(__file__).parent / "scenarios"
HEADERS = (
    '      From: "Resident" <sip:CALLER@[local_ip]:[local_port]>'
    ";tag=[pid]SIPpTag00[call_number]\n"
    """      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      Contact: <sip:CALLER@[local_ip]:[local_port]>
      [routes]
      Max-Forwards: 70"""
)


def free_rtp_port() -> int:
    """An even port whose neighbours (+1 RTCP, +2 echo of a second stream) are free too."""
    for _ in range(50):
        port = free_udp_port() & ~1
        socks = []
        try:
            for offset in range(4):
                sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                socks.append(sock)
                sock.bind(("127.0.0.1", port + offset))
            return port
        except OSError:
            continue
        finally:
            for sock in socks:
                sock.close()
    raise RuntimeError("no free RTP port")


class Caller:
    """Builds a caller scenario step by step, then runs it with sipp against the gateway."""

    def __init__(self, tmp: Path, name: str = "caller") -> None:
        self.tmp = tmp
        self.name = name
        self.steps: list[str] = []
        self.cseq = 2
        self._playing = -1  # the step count just after the last keys' pause

    def pause(self, ms: int) -> Caller:
        self.steps.append(f'  <pause milliseconds="{ms}"/>')
        return self

    def audio(self, wav: Path, *, loops: int = -1) -> Caller:
        """The caller's voice (RTP, PCMU): looped for the whole call, or played ``loops``
        times and then nothing (a phone that dies sends no more RTP, and no BYE)."""
        self.steps.append(f'  <nop><action><exec rtp_stream="{wav},{loops},0"/></action></nop>')
        return self

    def dtmf(self, digits: str, *, after_ms: int = 0) -> Caller:
        """RFC 4733 telephone-events from a pcap made for these digits."""
        pcap = write_dtmf_pcap(
            self.tmp / f"dtmf-{len(self.steps)}-{digits.replace('#', 'H').replace('*', 'S')}.pcap",
            digits,
        )
        if after_ms:
            self.pause(after_ms)
        self.steps.append(f'  <nop><action><exec play_pcap_audio="{pcap}"/></action></nop>')
        self.pause(460 * len(digits) + 200)
        self._playing = len(self.steps)
        return self

    def info(self, digit: str) -> Caller:
        """A digit as SIP INFO (application/dtmf-relay)."""
        self.steps.append(
            f"""  <send><![CDATA[
      INFO [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
{HEADERS}
      CSeq: {self.cseq} INFO
      Content-Type: application/dtmf-relay
      Content-Length: [len]

      Signal={digit}
      Duration=160
  ]]></send>
  <recv response="200"/>"""
        )
        self.cseq += 1
        return self

    def bye(self) -> Caller:
        self.steps.append(
            f"""  <send retrans="500"><![CDATA[
      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
{HEADERS}
      CSeq: {self.cseq} BYE
      Content-Length: 0
  ]]></send>
  <recv response="200"/>"""
        )
        self.cseq += 1
        return self

    def wait_bye(self, timeout_ms: int = 30000) -> Caller:
        """The gateway hangs up (end of the flow or after the agent's BYE)."""
        if self._playing == len(self.steps):
            # The keys go on playing in the background; a gateway that answers them before
            # they would have finished hangs up while sipp is still pausing, which sipp counts
            # as an "unexpected BYE".
            self.steps.pop()
        self.steps.append(
            f"""  <recv request="BYE" timeout="{timeout_ms}"/>
  <send><![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
  ]]></send>"""
        )
        return self

    def write(self) -> Path:
        text = (SCENARIOS / "caller.xml").read_text().replace("STEPS", "\n".join(self.steps))
        path = self.tmp / f"{self.name}.xml"
        path.write_text(text)
        return path

    def start(
        self,
        gateway_port: int,
        number: str,
        caller_id: str = "+97455123456",
        *,
        bind: str = "127.0.0.1",
        headers: tuple[str, ...] = (),
    ) -> Sipp:
        """Call ``number`` from the address ``bind`` (any loopback address: a source the front
        may not trust), with ``headers`` added to the INVITE."""
        path = self.write()
        text = path.read_text().replace("CALLER", caller_id)
        if headers:
            extra = "".join(f"      {header}\n" for header in headers)
            text = text.replace(
                "      Content-Type: application/sdp\n",
                extra + "      Content-Type: application/sdp\n",
                1,
            )
        path.write_text(text)
        return Sipp(
            [
                "-sf",
                str(path),
                "-s",
                number,
                "-m",
                "1",
                "-l",
                "1",
                "-i",
                bind,
                "-mp",
                str(free_rtp_port()),
                "-p",
                str(free_udp_port()),
                f"127.0.0.1:{gateway_port}",
            ],
            self.tmp / self.name,
        )


def refused_caller(
    tmp: Path, port: int, number: str, *, bind: str, expect: int = 403, name: str = "refused"
) -> Sipp:
    """A caller from ``bind`` whose INVITE to ``port`` must be answered ``expect`` at once
    (sipp exits 0 only then)."""
    text = (SCENARIOS / "refused.xml").read_text().replace("EXPECT", str(expect))
    path = tmp / f"{name}.xml"
    path.write_text(text)
    return Sipp(
        [
            "-sf",
            str(path),
            "-s",
            number,
            "-m",
            "1",
            "-i",
            bind,
            "-p",
            str(free_udp_port()),
            f"127.0.0.1:{port}",
        ],
        tmp / name,
    )


class Sipp:
    """One sipp process; ``wait()`` returns its exit code (0 = every call succeeded)."""

    def __init__(self, args: list[str], log_base: Path) -> None:
        self.log_base = log_base
        self.errors = Path(f"{log_base}-errors.log")
        self.proc = subprocess.Popen(
            [
                "sipp",
                *args,
                "-nostdin",
                "-trace_err",
                "-error_file",
                str(self.errors),
                "-timeout",
                "60s",
                "-timeout_error",
                "-max_recv_loops",
                "1000",
            ],
            stdout=subprocess.DEVNULL,
            stderr=open(f"{log_base}-stderr.log", "wb"),  # noqa: SIM115
        )

    def wait(self, timeout: float = 60) -> int:
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self.stop()

    def stop(self) -> None:
        stop_process(self.proc)

    def errors_text(self) -> str:
        return self.errors.read_text(errors="replace") if self.errors.exists() else ""


def stop_process(proc: subprocess.Popen) -> None:
    """Terminate a SIP peer (sipp, baresip) if it still runs; kill it if it does not stop."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def register_agent(tmp: Path, gateway_port: int, user: str, password: str, phone_port: int) -> int:
    csv = tmp / f"reg-{user}.csv"
    csv.write_text(f"SEQUENTIAL\n{user};{password};{phone_port}\n")
    sipp = Sipp(
        [
            "-sf",
            str(SCENARIOS / "register.xml"),
            "-inf",
            str(csv),
            "-m",
            "1",
            "-au",
            user,
            "-ap",
            password,
            "-p",
            str(free_udp_port()),
            f"127.0.0.1:{gateway_port}",
        ],
        tmp / f"reg-{user}",
    )
    return sipp.wait(20)


def wait_registered(
    tmp: Path, gateway_port: int, user: str, password: str, phone_port: int, timeout: float = 10
) -> bool:
    """Register until the front accepts these credentials (it copies agents' credentials
    every 2 s), or ``timeout`` seconds pass; whether it did."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if register_agent(tmp, gateway_port, user, password, phone_port) == 0:
            return True
    return False


def agent_phone(tmp: Path, port: int, *, answer: bool = True, talk_ms: int = 3000) -> Sipp:
    """A sipp UAS on ``port``: answers (echoing RTP) and hangs up after ``talk_ms``, or rings
    until cancelled."""
    scenario = "agent_answer.xml" if answer else "agent_no_answer.xml"
    args = ["-sf", str(SCENARIOS / scenario), "-p", str(port), "-m", "1", "-d", str(talk_ms)]
    if answer:
        args += ["-rtp_echo", "-mp", str(free_rtp_port())]
    return Sipp(args, tmp / f"agent-{port}")


def soxi(path: Path, flag: str) -> str:
    """One property of an audio file as sox reads it (``-r`` rate, ``-c`` channels, ``-D``
    seconds)."""
    return subprocess.run(
        ["soxi", flag, str(path)], capture_output=True, text=True, check=True
    ).stdout.strip()


def channel_rms(recording: Path) -> list[float]:
    """RMS amplitude of each channel of a call recording (sox stat), read through the at-rest
    helper: a recording stored in clear fails here (NotEncrypted)."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        path = crypto.decrypt_to(recording, Path(tmp) / "recording.wav")
        channels = int(soxi(path, "-c"))
        for channel in range(1, channels + 1):
            result = subprocess.run(
                ["sox", str(path), "-n", "remix", str(channel), "stat"],
                capture_output=True,
                text=True,
                check=True,
            )
            for line in result.stderr.splitlines():
                if line.startswith("RMS     amplitude"):
                    out.append(float(line.split(":")[1]))
    return out


def tone(path: Path, freq: int, seconds: int = 30) -> Path:
    """A u-law tone for sipp's rtp_stream (the caller's 'voice')."""
    subprocess.run(
        [
            "sox",
            "-n",
            "-r",
            "8000",
            "-c",
            "1",
            "-e",
            "u-law",
            str(path),
            "synth",
            str(seconds),
            "sine",
            str(freq),
            "vol",
            "0.5",
        ],
        check=True,
        capture_output=True,
    )
    return path


class RawSip:
    """A SIP peer written out by hand on one UDP socket, bound to any loopback address: for
    what no phone would do on purpose (replaying captured credentials, a burst of wrong
    passwords, a forged header) and for reading each answer exactly."""

    def __init__(self, gateway_port: int, *, bind: str = "127.0.0.1") -> None:
        self.gateway = ("127.0.0.1", gateway_port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((bind, 0))
        self.host, self.port = self.sock.getsockname()
        self.n = 0

    def close(self) -> None:
        self.sock.close()

    def send(self, message: str) -> None:
        self.sock.sendto(message.encode(), self.gateway)

    def receive(self, timeout: float = 2.0, *, skip_provisional: bool = True) -> str | None:
        """The next answer (None when the front stays silent that long)."""
        self.sock.settimeout(timeout)
        while True:
            try:
                data = self.sock.recv(65535).decode(errors="replace")
            except TimeoutError:
                return None
            if skip_provisional and data.startswith("SIP/2.0 1"):
                continue
            return data

    def register(
        self,
        user: str,
        *,
        call_id: str,
        cseq: int,
        contact_port: int,
        authorization: str = "",
    ) -> str:
        """A REGISTER for ``user`` (text, not sent), with ``authorization`` if given."""
        self.n += 1
        auth = f"Authorization: {authorization}\r\n" if authorization else ""
        return (
            f"REGISTER sip:127.0.0.1:{self.gateway[1]} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP {self.host}:{self.port};branch=z9hG4bKraw{self.n}x{cseq}\r\n"
            f"From: <sip:{user}@127.0.0.1>;tag=raw{call_id}\r\n"
            f"To: <sip:{user}@127.0.0.1>\r\n"
            f"Call-ID: {call_id}\r\nCSeq: {cseq} REGISTER\r\n"
            f"Contact: <sip:{user}@{self.host}:{contact_port}>\r\n"
            f"{auth}Expires: 600\r\nMax-Forwards: 70\r\nUser-Agent: raw-test\r\n"
            "Content-Length: 0\r\n\r\n"
        )

    def digest(self, challenge: str, *, user: str, password: str, nc: int = 1) -> str:
        """The Authorization header value answering a 401 (qop=auth when offered)."""
        header = next(
            line.split(":", 1)[1].strip()
            for line in challenge.split("\r\n")
            if line.lower().startswith("www-authenticate:")
        )
        params = dict(re.findall(r'(\w+)="?([^",]*)"?', header.removeprefix("Digest ")))
        realm, nonce = params["realm"], params["nonce"]
        uri = f"sip:127.0.0.1:{self.gateway[1]}"

        def md5(text: str) -> str:
            return hashlib.md5(text.encode()).hexdigest()  # SIP digest is MD5

        ha1 = md5(f"{user}:{realm}:{password}")
        ha2 = md5(f"REGISTER:{uri}")
        value = f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}"'
        if "auth" in params.get("qop", "").split(","):
            cnonce, count = "0a4f113b", f"{nc:08x}"
            response = md5(f"{ha1}:{nonce}:{count}:{cnonce}:auth:{ha2}")
            value += f', qop=auth, nc={count}, cnonce="{cnonce}"'
        else:
            response = md5(f"{ha1}:{nonce}:{ha2}")
        return value + f', response="{response}", algorithm=MD5'


def status(answer: str | None) -> int | None:
    """The status code of a SIP answer, None for no answer."""
    return int(answer.split(" ", 2)[1]) if answer else None
