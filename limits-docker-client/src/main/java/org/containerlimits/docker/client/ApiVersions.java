package org.containerlimits.docker.client;

import com.github.dockerjava.core.RemoteApiVersion;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
  * The Docker Engine API's versions, {@code major.minor}: parsed as daemons report them, ordered
  * numerically, and the one a client and a daemon both speak.
  */
final class ApiVersions {
    private static final Pattern API_VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)");

    private ApiVersions() {}

    /**
      * Picks the API version to speak: the older of the two maxima, provided the daemon still accepts
      * it.
      *
      * @param clientMax the newest version the client knows
      * @param daemonMax the newest version the daemon speaks
      * @param daemonMin the oldest version the daemon accepts, or {@code null} if it did not say
      *     (daemons before API 1.25 do not report one)
      * @return the version to use, or empty when the ranges do not overlap
      */
    static Optional<RemoteApiVersion> negotiate(
            RemoteApiVersion clientMax, RemoteApiVersion daemonMax, RemoteApiVersion daemonMin) {
        RemoteApiVersion chosen = compare(clientMax, daemonMax) <= 0 ? clientMax : daemonMax;
        if (daemonMin != null && compare(chosen, daemonMin) < 0) {
            return Optional.empty();
        }
        return Optional.of(chosen);
    }

    /**
      * Orders API versions numerically. docker-java's own {@code RemoteApiVersion.isGreaterOrEqual}
      * compares major and minor separately (so it says 2.0 is not at least 1.44) and the class is not
      * {@link Comparable}; this compares properly.
      */
    static int compare(RemoteApiVersion a, RemoteApiVersion b) {
        int[] x = numbers(a);
        int[] y = numbers(b);
        return x[0] != y[0] ? Integer.compare(x[0], y[0]) : Integer.compare(x[1], y[1]);
    }

    /**
      * Parses an API version as the daemon reports it, such as {@code 1.41}.
      *
      * @return the version, or empty for null, blank or malformed input
      */
    static Optional<RemoteApiVersion> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = API_VERSION.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    RemoteApiVersion.create(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
        } catch (IllegalArgumentException e) {
            // create() rejects 0 as major or minor, and the digits may overflow an int.
            return Optional.empty();
        }
    }

    private static int[] numbers(RemoteApiVersion v) {
        // RemoteApiVersion exposes its parts only through getVersion(), "major.minor".
        Matcher m = API_VERSION.matcher(v.getVersion());
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a concrete API version: " + v);
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }
}
