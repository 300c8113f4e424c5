"""A media worker: one PJSIP (pjsua2) library instance, owned by one thread, a few calls.

Why a process of its own: the pjsua2-python wheel is built with a compile-time ceiling of four
calls per library instance (see docs/voice.md), and PJSIP keeps global state, so capacity comes
from running several workers behind the SIP front, not from one big process.

The worker knows nothing about hotlines, flows or the database. It answers, plays files,
reports DTMF (RFC 4733 telephone-events and SIP INFO alike), dials the agent's leg, bridges and
records, as told by the gateway over :mod:`tawasul.voice.wire`. Only the main thread touches
PJSIP: the socket reader thread puts commands on a queue that the main loop drains between
``libHandleEvents`` calls; PJSIP's own media thread only ever enqueues.

Why the main loop sleeps long: a worker spends most of its life idle (the gateway runs enough of
them for the peak), and 150 workers polling PJSIP at 100 Hz cost more than a whole core. The
main thread therefore waits in ``libHandleEvents`` for up to half a second; a SIP message or a
PJSIP timer ends the wait by itself, and whoever queues work for the main thread (the control
reader, the media thread at the end of a prompt) ends it with a CRLF keep-alive datagram sent
to the worker's own SIP socket, which PJSIP's transport discards (RFC 5626 keep-alive).

Run: ``python -m tawasul.voice.worker --name w1 --sip-port 5081 --rtp-port 40000
--control 127.0.0.1:5090 [--slots 2]``. It exits when the control link closes.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import queue
import re
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pjsua2 as pj

from tawasul.core.crypto import PRIVATE_FILE, private_dirs, private_umask
from tawasul.voice.wire import RTP_PORTS_PER_WORKER, Sender, caller_identity, read_lines

# PJSUA_MAX_CALLS of the installed wheel (measured; see docs/voice.md). Each caller may need a
# second call for the agent's leg, so by default a worker takes half as many callers.
LIBRARY_MAX_CALLS = 4
# Longest wait of the main loop for SIP traffic or a wake-up (milliseconds); see above.
IDLE_POLL_MS = 500
# How often the received-packet counters of calls with a media timeout are read (seconds).
# Only while such calls are up: an idle worker does not look.
MEDIA_CHECK_SECONDS = 1.0
_RURI = re.compile(r"^INVITE\s+(\S+)\s+SIP/2\.0", re.M)


@contextlib.contextmanager
def _stdout_silenced() -> Iterator[None]:
    """File descriptor 1 to /dev/null for a while (PJSIP writes there from C)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


class Worker:
    def __init__(
        self,
        *,
        name: str,
        sip_port: int,
        rtp_port: int,
        slots: int,
        link: Sender,
        front: str = "",
    ):
        self.name = name
        # "host:port" of the SIP front, the only source of INVITEs this worker answers.
        self.front = front
        self.sip_port = sip_port
        self.rtp_port = rtp_port
        self.slots = slots
        self.link = link
        self.commands: queue.Queue[dict[str, Any]] = queue.Queue()
        self.deferred: queue.Queue[tuple] = queue.Queue()
        self.calls: dict[str, Call] = {}
        self.legs: dict[str, Call] = {}
        # Call-backs placed from this worker (both their legs are outgoing): each holds one
        # caller's place, as a caller with an agent's leg does (docs/voice.md §3).
        self.reserved: set[str] = set()
        self.counter = 0
        self.next_media_check = 0.0
        self.ep = pj.Endpoint()
        self.waker = Waker(sip_port)

    def post_command(self, command: dict[str, Any]) -> None:
        """From the control reader thread: queue a command and wake the main loop."""
        self.commands.put(command)
        self.waker.wake()

    def defer(self, fn: Any, *args: Any) -> None:
        """Run ``fn(*args)`` on the main thread after the current PJSIP callback or wait."""
        self.deferred.put((fn, args))
        self.waker.wake()

    # -- library lifetime (main thread only) -------------------------------------------------

    def start(self) -> None:
        ep = self.ep
        with _stdout_silenced():
            # pjlib announces itself (six lines at log level 4) before libInit below can set
            # the level: with 8 to 154 workers that buried the gateway's own output.
            ep.libCreate()
        cfg = pj.EpConfig()
        cfg.uaConfig.maxCalls = LIBRARY_MAX_CALLS
        cfg.uaConfig.threadCnt = 0  # our loop polls: one thread owns the library
        cfg.uaConfig.mainThreadOnly = False
        cfg.uaConfig.userAgent = f"Tawasul media worker {self.name}"
        level = int(os.environ.get("TAWASUL_VOICE_PJ_LOG", "1"))
        cfg.logConfig.level = level
        cfg.logConfig.consoleLevel = level
        cfg.medConfig.maxMediaPorts = 32  # 4 calls + players + recorders
        cfg.medConfig.noVad = True
        # No echo canceller: the null device has no microphone to echo, and the canceller would
        # filter every 20 ms frame of the bridge while any call is up.
        cfg.medConfig.ecTailLen = 0
        # Telephone audio end to end: the bridge, prompts and recordings at 8 kHz.
        cfg.medConfig.clockRate = 8000
        cfg.medConfig.sndClockRate = 8000
        ep.libInit(cfg)
        tcfg = pj.TransportConfig()
        tcfg.port = self.sip_port
        tcfg.boundAddress = "127.0.0.1"
        ep.transportCreate(pj.PJSIP_TRANSPORT_UDP, tcfg)
        ep.audDevManager().setNullDev()  # the null device clocks the conference bridge
        for codec in ep.codecEnum2():
            # Telephone audio only: G.711 is what trunks and desk phones speak, and it is cheap.
            keep = codec.codecId.startswith(("PCMU/", "PCMA/"))
            ep.codecSetPriority(codec.codecId, 200 if keep else 0)
        ep.libStart()
        self.account = Account(self)
        acfg = pj.AccountConfig()
        acfg.idUri = f"sip:gateway-{self.name}@127.0.0.1:{self.sip_port}"
        acfg.mediaConfig.transportConfig.port = self.rtp_port
        acfg.mediaConfig.transportConfig.portRange = RTP_PORTS_PER_WORKER
        acfg.mediaConfig.transportConfig.boundAddress = "127.0.0.1"
        self.account.create(acfg)

    def run(self) -> None:
        self.link.send(
            {"ev": "hello", "worker": self.name, "sip_port": self.sip_port, "slots": self.slots}
        )
        while not self.link.closed:
            self.ep.libHandleEvents(IDLE_POLL_MS)
            self.waker.rearm()
            self._drain()
            if self.calls or self.legs:
                now = time.monotonic()
                if now >= self.next_media_check:
                    self.next_media_check = now + MEDIA_CHECK_SECONDS
                    self._check_media(now)
        self.stop()

    def callers(self) -> int:
        """Callers this worker holds: live incoming calls and call-backs being placed."""
        return sum(1 for c in self.calls.values() if not c.gone) + len(self.reserved)

    def _check_media(self, now: float) -> None:
        for call in list(self.calls.values()) + list(self.legs.values()):
            if not call.timed_out and call.media_silent_for(now) >= call.media_timeout > 0:
                call.timed_out = True  # its BYE may wait 32 s for an answer; say it once
                # The far end vanished without a BYE (phone dead, network gone): hang up, so
                # the call releases its slot and its agent. The gateway is told first, so it
                # knows why the leg ends.
                self.emit("media_timeout", call=call.key, seconds=call.media_timeout)
                call.stop_player()
                op = pj.CallOpParam()
                op.statusCode = 200
                with contextlib.suppress(pj.Error):  # already ending
                    call.hangup(op)

    def stop(self) -> None:
        try:
            self.ep.hangupAllCalls()
            for _ in range(20):
                self.ep.libHandleEvents(10)
        finally:
            self._forget_calls()
            self.waker.close()
            # Call objects must be gone before the library: their destructors call into it.
            gc.collect()
            self.ep.libDestroy()

    def _forget_calls(self) -> None:
        # A function of its own so that no local variable of stop() still holds a Call when
        # the library is destroyed: that Call's destructor ran after libDestroy and failed
        # PJSUA's assertion on the call id (the worker aborted, SIGABRT, whenever it was
        # stopped with a call up).
        for call in [*self.calls.values(), *self.legs.values()]:
            call.release_media()
        self.calls.clear()
        self.legs.clear()
        while not self.deferred.empty():
            self.deferred.get_nowait()

    # -- helpers ---------------------------------------------------------------------------

    def emit(self, event: str, **fields: Any) -> None:
        fields["ev"] = event
        self.link.send(fields)

    def _drain(self) -> None:
        while True:
            try:
                fn, args = self.deferred.get_nowait()
            except queue.Empty:
                break
            fn(*args)
        while True:
            try:
                cmd = self.commands.get_nowait()
            except queue.Empty:
                return
            try:
                getattr(self, "cmd_" + cmd["cmd"])(cmd)
            except pj.Error as exc:
                self.emit("error", call=cmd.get("call") or cmd.get("leg"), info=exc.info())
            except (KeyError, AttributeError) as exc:
                self.emit("error", call=cmd.get("call"), info=f"bad command: {exc!r}")

    def _call(self, key: str) -> Call | None:
        return self.calls.get(key) or self.legs.get(key)

    # -- commands --------------------------------------------------------------------------

    def cmd_answer(self, cmd: dict) -> None:
        call = self._call(cmd["call"])
        if call is not None and not call.gone:
            call.media_timeout = float(cmd.get("media_timeout") or 0)
            op = pj.CallOpParam()
            op.statusCode = 200
            call.answer(op)

    def cmd_reject(self, cmd: dict) -> None:
        call = self._call(cmd["call"])
        if call is not None and not call.gone:
            op = pj.CallOpParam()
            op.statusCode = int(cmd.get("code", 404))
            call.hangup(op)

    def cmd_hangup(self, cmd: dict) -> None:
        call = self._call(cmd["call"])
        if call is not None and not call.gone:
            call.stop_player()
            op = pj.CallOpParam()
            op.statusCode = 603 if call.incoming and not call.answered else 200
            call.hangup(op)

    def cmd_play(self, cmd: dict) -> None:
        call = self._call(cmd["call"])
        if call is None or call.gone or call.audio is None:
            self.emit("played", call=cmd["call"], id=cmd.get("id"), ok=False)
            return
        call.play(cmd["files"], cmd.get("id"), loop=bool(cmd.get("loop")))

    def cmd_stop(self, cmd: dict) -> None:
        call = self._call(cmd["call"])
        if call is not None:
            call.stop_player()

    def cmd_reserve(self, cmd: dict) -> None:
        """A call-back asks for a caller's place before it dials its two legs; refused when
        the worker is full, so the gateway tries another worker rather than push this one
        past its call slots (a caller of this worker would then find no slot for its agent)."""
        group = cmd["call"]
        ok = group in self.reserved or self.callers() < self.slots
        if ok:
            self.reserved.add(group)
        self.emit("reserved", call=group, ok=ok)

    def cmd_unreserve(self, cmd: dict) -> None:
        self.reserved.discard(cmd["call"])

    def cmd_dial(self, cmd: dict) -> None:
        leg = Call(self, self.account, key=cmd["leg"], incoming=False)
        leg.media_timeout = float(cmd.get("media_timeout") or 0)
        self.legs[cmd["leg"]] = leg
        op = pj.CallOpParam(True)  # noqa: FBT003 - SWIG's default-settings flag
        try:
            leg.makeCall(cmd["uri"], op)
        except pj.Error as exc:
            self.legs.pop(cmd["leg"], None)
            self.emit("leg_ended", call=cmd["leg"], code=500, info=exc.info())

    def cmd_bridge(self, cmd: dict) -> None:
        caller, agent = self._call(cmd["call"]), self._call(cmd["leg"])
        if caller is None or agent is None or caller.audio is None or agent.audio is None:
            self.emit("error", call=cmd["call"], info="cannot bridge: a leg has no audio")
            return
        caller.stop_player()
        agent.stop_player()
        caller.audio.startTransmit(agent.audio)
        agent.audio.startTransmit(caller.audio)
        record = cmd.get("record") or []
        if len(record) == 2:
            # One file per party (what the caller said, what the agent said): a quality analyst
            # can tell who spoke, and the gateway mixes them into one stereo file at the end.
            caller.recorder = _recorder(record[0])
            agent.recorder = _recorder(record[1])
            caller.audio.startTransmit(caller.recorder)
            agent.audio.startTransmit(agent.recorder)
        self.emit("bridged", call=cmd["call"], leg=cmd["leg"])

    def cmd_unbridge(self, cmd: dict) -> None:
        # Agent hold: the parties stop hearing each other (recorders keep running); the
        # gateway then plays hold audio to the caller and bridges again on resume.
        caller, agent = self._call(cmd["call"]), self._call(cmd["leg"])
        if caller is None or agent is None or caller.audio is None or agent.audio is None:
            return
        caller.audio.stopTransmit(agent.audio)
        agent.audio.stopTransmit(caller.audio)
        self.emit("unbridged", call=cmd["call"], leg=cmd["leg"])


class Waker:
    """Ends the main thread's wait in ``libHandleEvents`` from any thread.

    A datagram of CRLFs to the worker's own SIP port: PJSIP wakes up to read it and drops it as
    a keep-alive. Only the first wake-up after each turn of the main loop sends one (``rearm``
    is called before the loop drains its queues), so a burst of commands costs one datagram.
    """

    PING = b"\r\n\r\n"

    def __init__(self, sip_port: int) -> None:
        self.address = ("127.0.0.1", sip_port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.armed = True

    def wake(self) -> None:
        # A lost race here only sends one datagram too many; the queue is filled first, so the
        # loop that rearmed always drains what was queued before this check.
        if self.armed:
            self.armed = False
            try:
                self.sock.sendto(self.PING, self.address)
            except OSError:
                self.armed = True

    def rearm(self) -> None:
        self.armed = True

    def close(self) -> None:
        self.sock.close()


def _recorder(path: str) -> pj.AudioMediaRecorder:
    # The plain WAV exists only while the call lasts (the gateway encrypts the mix and removes
    # the parts): owner-only meanwhile, whatever umask the gateway was started with.
    private_dirs(Path(path).parent)
    rec = pj.AudioMediaRecorder()
    rec.createRecorder(path)
    os.chmod(path, PRIVATE_FILE)
    return rec


class Player(pj.AudioMediaPlayer):
    def __init__(self, call: Call, play_id: Any) -> None:
        super().__init__()
        self.call = call
        self.play_id = play_id
        self.done = False

    def onEof2(self) -> None:
        if not self.done:
            self.done = True
            self.call.worker.defer(self.call.on_played, self)


class Call(pj.Call):
    def __init__(
        self, worker: Worker, account: pj.Account, *, key: str, incoming: bool, call_id: int = -1
    ) -> None:
        if call_id >= 0:
            super().__init__(account, call_id)
        else:
            super().__init__(account)
        self.worker = worker
        self.key = key
        self.incoming = incoming
        self.answered = False
        self.gone = False
        self.audio: pj.AudioMedia | None = None
        self.audio_index = -1
        self.player: Player | None = None
        self.recorder: pj.AudioMediaRecorder | None = None
        # Media timeout (seconds, 0 = none) and what the last look at the counters saw.
        self.media_timeout = 0.0
        self.timed_out = False
        self.expect_rx = True  # false while the far end holds us (sendonly/inactive)
        self.rx_packets = 0
        self.rx_seen_at = 0.0

    def media_silent_for(self, now: float) -> float:
        """Seconds since the far end's last RTP packet, 0 while it never sent any.

        Counted only from the first packet: a phone that sends nothing at all (muted from the
        start with silence suppression, one-way audio behind a NAT) may still be a person
        pressing keys by SIP INFO; a phone that sent audio and then nothing for a minute is
        gone. Comfort noise (RFC 3389) and DTMF packets count as RTP.
        """
        if self.gone or self.audio is None or not self.media_timeout or not self.expect_rx:
            return 0.0
        try:
            packets = self.getStreamStat(self.audio_index).rtcp.rxStat.pkt
        except pj.Error:
            return 0.0
        if packets != self.rx_packets:
            self.rx_packets, self.rx_seen_at = packets, now
            return 0.0
        return now - self.rx_seen_at if packets else 0.0

    def play(self, files: list[str], play_id: Any, *, loop: bool) -> None:
        self.stop_player()
        player = Player(self, play_id)
        if len(files) == 1:
            player.createPlayer(files[0], 0 if loop else pj.PJMEDIA_FILE_NO_LOOP)
        else:
            player.createPlaylist(files, "prompt", 0 if loop else pj.PJMEDIA_FILE_NO_LOOP)
        player.startTransmit(self.audio)
        self.player = player

    def stop_player(self) -> None:
        if self.player is not None:
            self.player.done = True
            try:
                if self.audio is not None:
                    self.player.stopTransmit(self.audio)
            except pj.Error:
                pass
            self.player = None

    def on_played(self, player: Player) -> None:
        if self.player is player:
            self.stop_player()
            self.worker.emit("played", call=self.key, id=player.play_id, ok=True)

    def release_media(self) -> None:
        self.stop_player()
        self.recorder = None
        self.audio = None

    # -- PJSIP callbacks (main thread, inside libHandleEvents) --------------------------------

    def onCallState(self, prm: pj.OnCallStateParam) -> None:
        info = self.getInfo()
        if info.state == pj.PJSIP_INV_STATE_EARLY and not self.incoming:
            self.worker.emit("leg_ringing", call=self.key)
        elif info.state == pj.PJSIP_INV_STATE_CONFIRMED:
            self.answered = True
            if not self.incoming:
                self.worker.emit("leg_answered", call=self.key)
        elif info.state == pj.PJSIP_INV_STATE_DISCONNECTED:
            self.gone = True
            code = info.lastStatusCode
            self.worker.emit("ended" if self.incoming else "leg_ended", call=self.key, code=code)
            # The object must outlive this callback; drop it from the loop.
            self.worker.defer(self.worker_forget)

    def worker_forget(self) -> None:
        self.release_media()
        self.worker.calls.pop(self.key, None)
        self.worker.legs.pop(self.key, None)
        # Recorders are closed now (their WAV headers written): the gateway may mix them.
        self.worker.emit("released", call=self.key)

    def onCallMediaState(self, prm: pj.OnCallMediaStateParam) -> None:
        info = self.getInfo()
        for index, media in enumerate(info.media):
            if media.type != pj.PJMEDIA_TYPE_AUDIO:
                continue
            # A far end that puts us on hold (sendonly / inactive) sends no RTP on purpose.
            receiving = bool(media.dir & pj.PJMEDIA_DIR_DECODING)
            if receiving != self.expect_rx:
                self.expect_rx, self.rx_seen_at = receiving, time.monotonic()
            if media.status == pj.PJSUA_CALL_MEDIA_ACTIVE and self.audio is None:
                self.audio = self.getAudioMedia(index)
                self.audio_index = index
                self.worker.emit("media", call=self.key)

    def onDtmfDigit(self, prm: pj.OnDtmfDigitParam) -> None:
        method = "info" if prm.method == pj.PJSUA_DTMF_METHOD_SIP_INFO else "rfc4733"
        self.worker.emit("dtmf", call=self.key, digit=prm.digit, method=method)


class Account(pj.Account):
    def __init__(self, worker: Worker) -> None:
        super().__init__()
        self.worker = worker

    def onIncomingCall(self, prm: pj.OnIncomingCallParam) -> None:
        worker = self.worker
        worker.counter += 1
        key = f"{worker.name}.{worker.counter}"
        call = Call(worker, self, key=key, incoming=True, call_id=prm.callId)
        op = pj.CallOpParam()
        if worker.front and prm.rdata.srcAddress != worker.front:
            # Only the SIP front decides who may call (and says whether the caller's number
            # is vouched for); an INVITE sent straight to a worker's port skipped both.
            op.statusCode = 403
            call.hangup(op)
            return
        if worker.callers() >= worker.slots:
            # Busy: the SIP front tries the next worker on 486.
            op.statusCode = 486
            call.hangup(op)
            return
        worker.calls[key] = call
        info = call.getInfo()
        match = _RURI.search(prm.rdata.wholeMsg)
        caller, verified = caller_identity(prm.rdata.wholeMsg, info.remoteUri)
        op.statusCode = 180
        call.answer(op)
        worker.emit(
            "incoming",
            call=key,
            call_id=info.callIdString,
            to=info.localUri,
            ruri=match.group(1) if match else info.localUri,
            caller_verified=verified,
            **{"from": caller},
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", required=True)
    parser.add_argument("--sip-port", type=int, required=True)
    parser.add_argument("--rtp-port", type=int, required=True)
    parser.add_argument("--control", required=True, help="host:port of the gateway")
    parser.add_argument("--slots", type=int, default=LIBRARY_MAX_CALLS // 2)
    parser.add_argument(
        "--front", default="", help="host:port of the SIP front (INVITEs only from it)"
    )
    args = parser.parse_args(argv)
    private_umask()  # recordings are written here
    host, port = args.control.rsplit(":", 1)
    sock = socket.create_connection((host, int(port)), timeout=10)
    sock.settimeout(None)
    link = Sender(sock)
    worker = Worker(
        name=args.name,
        sip_port=args.sip_port,
        rtp_port=args.rtp_port,
        slots=min(args.slots, LIBRARY_MAX_CALLS),
        link=link,
        front=args.front,
    )

    def reader() -> None:
        for message in read_lines(sock):
            worker.post_command(message)
        link.closed = True
        worker.waker.wake()

    signal.signal(signal.SIGTERM, lambda *_: setattr(link, "closed", True))
    worker.start()
    threading.Thread(target=reader, daemon=True, name="control-reader").start()
    try:
        worker.run()
    except KeyboardInterrupt:
        worker.stop()
    time.sleep(0.05)
    return 0


if __name__ == "__main__":
    sys.exit(main())
