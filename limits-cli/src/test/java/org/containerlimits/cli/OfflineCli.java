package org.containerlimits.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** Runs the command line in this process without a daemon: connecting to one fails the test. */
final class OfflineCli {
    private OfflineCli() {
    }

    /** What one run printed and returned. */
    record Result(int exitCode, String out, String err) {
        /** Standard error's lines. */
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Result limits(String... args) {
        return limits(new ByteArrayInputStream(new byte[0]), args);
    }

    static Result limits(InputStream in, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        LimitsCommand command = new LimitsCommand(() -> {
            throw new AssertionError("must not connect to a daemon: " + String.join(" ", args));
        });
        command.setIn(in);
        var cli = command.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return new Result(cli.execute(args), out.toString(), err.toString());
    }
}
