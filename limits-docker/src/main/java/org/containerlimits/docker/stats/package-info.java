/**
 * Reads how close containers are to their own limits
 * ({@link org.containerlimits.core.usage.LimitsReading}): once
 * ({@link org.containerlimits.docker.stats.StatsReader#read(String)}) or at a fixed interval, many at
 * a time ({@link org.containerlimits.docker.stats.StatsPoller}). Each container is read from its
 * cgroup files when the daemon runs on this host, else from the Engine API's stats stream
 * ({@link org.containerlimits.docker.stats.StatsSourceKind}); a stats answer of the API maps to a
 * sample through {@link org.containerlimits.docker.stats.StatisticsMapping}.
 */
package org.containerlimits.docker.stats;
