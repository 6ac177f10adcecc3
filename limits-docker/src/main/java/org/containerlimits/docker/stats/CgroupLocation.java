package org.containerlimits.docker.stats;

import java.nio.file.Path;

/**
 * Where one container's cgroup files are, as {@link CgroupStatsSource#locate} finds them and
 * {@link CgroupFiles} opens them.
 *
 * @param v2 whether this is a cgroup v2 (unified) cgroup
 * @param cpu the v1 cpu controller's directory, or the v2 directory
 * @param cpuacct the v1 cpuacct controller's directory, or the v2 directory
 * @param memory the v1 memory controller's directory, or the v2 directory
 * @param pids the v1 pids controller's directory, or the v2 directory; may be null on v1
 * @param cpuset the v1 cpuset controller's directory, or the v2 directory; may be null on v1
 */
record CgroupLocation(boolean v2, Path cpu, Path cpuacct, Path memory, Path pids, Path cpuset) {
}
