"""r1eval's in-sandbox test harness.

Reads its job once from fd 3 (netstrings "<length>:<bytes>," holding key/value pairs; json is not imported because
its start-up cost is paid on every run) and closes fd 3 before any model code runs; reports on fd 4 as JSON lines,
each carrying the job's nonce: first {"event": "start"}, then exactly one {"event": "result", ...}. The verdict
never travels on stdout, which belongs to the program under test. This stops cheap spoofing (printing "PASSED",
exiting early, writing to fd 4 blindly); code that searches this interpreter's memory for the nonce could still
forge a record, which is out of scope: the sandbox around this process is the security boundary, not this file.

Modes: "functional" (exec the program, then each test snippet: HumanEval's check(), MBPP's asserts),
"stdio" (exec the program as __main__ with the real stdin/stdout), "call" (LeetCode-style: call a method of
class Solution on each example and compare with the expected value).
"""


def _harness():
    import os
    import sys

    chunks = []
    while True:
        chunk = os.read(3, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(3)
    raw = b"".join(chunks)
    items, at = [], 0
    while at < len(raw):
        colon = raw.index(b":", at)
        start = colon + 1
        end = start + int(raw[at:colon])
        items.append(raw[start:end].decode("utf-8", "replace"))
        at = end + 1
    job = {"tests": [], "cases": []}
    for key, value in zip(items[0::2], items[1::2]):
        if key == "test":
            job["tests"].append(value)
        elif key == "case_input":
            job["cases"].append({"input": value})
        elif key == "case_output":
            job["cases"][-1]["output"] = value
        else:
            job[key] = value
    del raw, items, chunks
    nonce = job.pop("nonce")
    write = os.write
    os.set_inheritable(4, False)

    def encode(value):
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        out = ['"']
        for ch in str(value):
            if ch == '"' or ch == "\\":
                out.append("\\" + ch)
            elif ord(ch) < 0x20:
                out.append("\\u%04x" % ord(ch))
            else:
                out.append(ch)
        out.append('"')
        return "".join(out)

    def report(event, **fields):
        fields["event"] = event
        fields["nonce"] = nonce
        text = "{" + ", ".join(encode(k) + ": " + encode(v) for k, v in fields.items()) + "}\n"
        data = text.encode("utf-8", "replace")
        while data:
            data = data[write(4, data):]

    def describe(exc):
        import traceback
        try:
            text = "%s: %s" % (type(exc).__name__, exc)
        except BaseException:
            text = type(exc).__name__
        line = None
        try:
            for frame in traceback.extract_tb(exc.__traceback__):
                if frame.filename.startswith("<"):
                    line = "%s line %s" % (frame.filename, frame.lineno)
        except BaseException:
            pass
        return (text[:800] + (" (" + line + ")" if line else ""))

    def run_program(namespace):
        """Executes the program; returns None, or the result fields when it failed to load."""
        try:
            exec(compile(job["program"], "<solution>", "exec"), namespace)
        except MemoryError:
            return {"status": "memory_error", "phase": "program"}
        except SystemExit as exc:
            if exc.code is None or exc.code == 0:
                return None if job["mode"] == "stdio" else {"status": "error", "phase": "program",
                                                            "error": "SystemExit before the tests ran"}
            return {"status": "error", "phase": "program", "error": "SystemExit(%r)" % (exc.code,)}
        except BaseException as exc:
            return {"status": "error", "phase": "program", "error": describe(exc)}
        return None

    def run_snippet(code, name, namespace):
        try:
            exec(compile(code, name, "exec"), namespace)
        except AssertionError as exc:
            return {"status": "failed", "error": describe(exc)}
        except MemoryError:
            return {"status": "memory_error"}
        except BaseException as exc:
            return {"status": "error", "error": describe(exc)}
        return None

    def fix_json_names(tree):
        import ast
        class Fix(ast.NodeTransformer):
            def visit_Name(self, node):
                values = {"true": True, "false": False, "null": None}
                if node.id in values:
                    return ast.copy_location(ast.Constant(values[node.id]), node)
                return node
        return ast.fix_missing_locations(Fix().visit(tree))

    def literal(text):
        import ast
        return ast.literal_eval(fix_json_names(ast.parse(text.strip(), mode="eval")))

    def arguments(text):
        """'a = 1, b = [2]' (a LeetCode example) or one JSON value per line (LiveCodeBench's files)."""
        import ast
        try:
            call = ast.parse("f(" + text.strip() + ")", mode="eval").body
            if call.keywords and not call.args:
                return [], {k.arg: ast.literal_eval(fix_json_names(ast.Expression(k.value))) for k in call.keywords}
        except SyntaxError:
            pass
        return [literal(line) for line in text.strip().split("\n") if line.strip()], {}

    def normalize(value):
        if isinstance(value, (list, tuple)):
            return [normalize(v) for v in value]
        if isinstance(value, dict):
            return {k: normalize(v) for k, v in value.items()}
        return value

    report("start")
    mode = job["mode"]
    main_name = "__main__" if mode == "stdio" else "__solution__"
    namespace = {"__name__": main_name, "__builtins__": __builtins__}
    failure = run_program(namespace)
    if failure is not None:
        report("result", **failure)
        return
    if mode == "stdio":
        try:
            sys.stdout.flush()
        except BaseException:
            pass
        report("result", status="done", tests_run=0, tests_passed=0)
        return
    if mode == "functional":
        if job.get("setup"):
            failure = run_snippet(job["setup"], "<setup>", namespace)
            if failure is not None:
                failure["phase"] = "setup"
                report("result", **failure)
                return
        tests = job["tests"]
        for index, test in enumerate(tests):
            failure = run_snippet(test, "<test %d>" % index, namespace)
            if failure is not None:
                report("result", test=index, tests_run=index + 1, tests_passed=index, **failure)
                return
        report("result", status="done", tests_run=len(tests), tests_passed=len(tests))
        return
    # mode == "call"
    cases = job["cases"]
    for index, case in enumerate(cases):
        try:
            args, kwargs = arguments(case["input"])
            expected = literal(case["output"])
        except BaseException as exc:
            report("result", status="bad_test", test=index, error=describe(exc))
            return
        try:
            instance = namespace[job["class"]]()
            method = getattr(instance, job["method"])
            if kwargs:
                import inspect
                names = list(inspect.signature(method).parameters)
                if not all(k in names for k in kwargs):
                    args, kwargs = list(kwargs.values()), {}
            got = method(*args, **kwargs)
        except MemoryError:
            report("result", status="memory_error", test=index)
            return
        except BaseException as exc:
            report("result", status="error", test=index, tests_run=index + 1, tests_passed=index, error=describe(exc))
            return
        if normalize(got) != normalize(expected):
            try:
                shown = repr(got)[:300]
            except BaseException:
                shown = "<unprintable>"
            report("result", status="failed", test=index, tests_run=index + 1, tests_passed=index,
                   error="expected %s, got %s" % (case["output"].strip()[:300], shown))
            return
    report("result", status="done", tests_run=len(cases), tests_passed=len(cases))


_harness()
del _harness
