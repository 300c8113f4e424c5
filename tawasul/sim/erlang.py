"""Erlang C for the simulator's tests: the maths lives in ``tawasul.workforce.erlang`` (the
planners' staffing uses the same functions); re-exported here so the simulator keeps its
reference next to it."""

from tawasul.workforce.erlang import ErlangC, agents_for, erlang_b, erlang_c

__all__ = ["ErlangC", "agents_for", "erlang_b", "erlang_c"]
