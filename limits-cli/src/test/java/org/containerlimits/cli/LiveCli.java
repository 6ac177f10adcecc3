package org.containerlimits.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in this process against the daemon at {@code DOCKER_HOST}, for the ITs. */
final class LiveCli {
    private LiveCli() {
    }

    /** What one run of the command line printed and returned. */
    record Result(int exitCode, String out, String err) {
    }

    static Result limits(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        LimitsCommand command = new LimitsCommand();
        try {
            var cli = command.commandLine();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(err));
            return new Result(cli.execute(args), out.toString(), err.toString());
        } finally {
            command.close();
        }
    }
}
