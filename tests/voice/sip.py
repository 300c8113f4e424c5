"""Real SIP peers for the voice tests: sipp callers and agent phones on loopback."""

from __future__ import annotations

import socket
import subprocess
import tempfile
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

    def start(self, gateway_port: int, number: str, caller_id: str = "+97455123456") -> Sipp:
        path = self.write()
        text = path.read_text().replace("CALLER", caller_id)
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
                "-mp",
                str(free_rtp_port()),
                "-p",
                str(free_udp_port()),
                f"127.0.0.1:{gateway_port}",
            ],
            self.tmp / self.name,
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
