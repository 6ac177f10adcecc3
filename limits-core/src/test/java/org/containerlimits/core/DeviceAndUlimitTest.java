package org.containerlimits.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import org.containerlimits.core.format.DockerCliFlags;
import org.containerlimits.core.format.EngineHostConfig;
import org.junit.jupiter.api.Test;

/** The per-device limits, ulimits and the OOM score: their grammar, their rules, every format's form. */
class DeviceAndUlimitTest {

    private static List<Violation> violations(Runnable read) {
        return catchThrowableOfType(InvalidLimitsException.class, read::run).violations();
    }

    @Test
    void deviceLimit_parsesPathAndValue_andRoundTrips() {
        DeviceLimit d = DeviceLimit.parse("/dev/mapper/vg-root:1000");
        assertThat(d.path()).isEqualTo("/dev/mapper/vg-root");
        assertThat(d.value()).isEqualTo(1000);
        assertThat(DeviceLimit.parse(d.toString())).isEqualTo(d);
    }

    @Test
    void deviceLimit_refusesWhatDockerRefuses() {
        assertThatThrownBy(() -> DeviceLimit.parse("sda:1000")).isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("must be a device path under /dev/");
        assertThatThrownBy(() -> DeviceLimit.parse("/dev/sda")).isInstanceOf(LimitParseException.class)
                .hasMessageContaining("':' and a value");
        assertThatThrownBy(() -> DeviceLimit.parse("/dev/sda:0")).isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> DeviceLimit.parse("/dev/sda:-5")).isInstanceOf(LimitParseException.class);
        assertThatThrownBy(() -> DeviceLimit.parse("/dev/sda:\u0661\u0660")).isInstanceOf(LimitParseException.class);
        assertThatThrownBy(() -> DeviceLimit.parse("/dev/:5")).isInstanceOf(InvalidLimitsException.class);
        assertThatThrownBy(() -> DeviceLimit.parse("/dev/s da:5")).isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("white space");
        assertThatThrownBy(() -> DeviceLimit.parse("/dev/sda:99999999999999999999"))
                .isInstanceOf(LimitParseException.class);
    }

    @Test
    void ulimit_parsesSoftAndHard_hardDefaultingToSoft() {
        assertThat(Ulimit.parse("nofile=64")).isEqualTo(Ulimit.of("nofile", 64, 64));
        assertThat(Ulimit.parse("nproc=100:200").toString()).isEqualTo("nproc=100:200");
        assertThat(Ulimit.parse(Ulimit.of("core", 0, 0).toString())).isEqualTo(Ulimit.of("core", 0, 0));
    }

    @Test
    void ulimit_refusesUnknownNames_softAboveHard_andUnlimited() {
        assertThatThrownBy(() -> Ulimit.parse("files=64")).isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("must name one of core, cpu");
        assertThatThrownBy(() -> Ulimit.parse("nofile=128:64")).isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("soft limit not above the hard limit");
        assertThatThrownBy(() -> Ulimit.parse("nofile=-1")).isInstanceOf(LimitParseException.class);
        assertThatThrownBy(() -> Ulimit.of("nofile", -1, -1)).isInstanceOf(InvalidLimitsException.class)
                .hasMessageContaining("unlimited, -1, is not accepted");
        assertThatThrownBy(() -> Ulimit.parse("=64")).isInstanceOf(LimitParseException.class);
        assertThatThrownBy(() -> Ulimit.parse("nofile=64:")).isInstanceOf(LimitParseException.class);
    }

    @Test
    void dockerPy_readsDockerPysListsOfMaps_andWritesThemBack() {
        Map<String, Object> keywords = Map.of(
                "device_write_bps", List.of(Map.of("Path", "/dev/sda", "Rate", "10m"), Map.of("Path", "/dev/sdb", "Rate", 1024)),
                "device_read_iops", List.of(Map.of("Path", "/dev/sda", "Rate", 1000)),
                "blkio_weight_device", List.of(Map.of("Path", "/dev/sda", "Weight", 300)),
                "ulimits", List.of(Map.of("Name", "nofile", "Soft", 64, "Hard", 128)),
                "oom_score_adj", -200);
        ResourceLimits limits = ResourceLimits.fromDockerPy(keywords);
        assertThat(limits.deviceWriteBps()).containsExactly(DeviceLimit.of("/dev/sda", 10L << 20), DeviceLimit.of("/dev/sdb", 1024));
        assertThat(limits.deviceReadIops()).containsExactly(DeviceLimit.of("/dev/sda", 1000));
        assertThat(limits.blkioWeightDevice()).containsExactly(DeviceLimit.of("/dev/sda", 300));
        assertThat(limits.ulimits()).containsExactly(Ulimit.of("nofile", 64, 128));
        assertThat(limits.oomScoreAdj()).hasValue(-200);
        assertThat(limits.toDockerPy()).containsEntry("device_write_bps",
                List.of(Map.of("Path", "/dev/sda", "Rate", 10L << 20), Map.of("Path", "/dev/sdb", "Rate", 1024L)));
        assertThat(limits.toDockerPy()).containsEntry("ulimits", List.of(Map.of("Name", "nofile", "Soft", 64L, "Hard", 128L)));
        assertThat(limits.toString()).isEqualTo("blkio_weight_device=/dev/sda:300,device_write_bps=/dev/sda:10m,"
                + "/dev/sdb:1k,device_read_iops=/dev/sda:1000,oom_score_adj=-200,ulimits=nofile=64:128");
        assertThat(ResourceLimits.fromDockerPy(limits.toDockerPy())).isEqualTo(limits);
        assertThat(ResourceLimits.parse(limits.toString())).isEqualTo(limits);
    }

    @Test
    void dockerPy_namesEveryBadItem_atOnce() {
        List<Violation> v = violations(() -> ResourceLimits.fromDockerPy(Map.of(
                "device_read_bps", List.of(Map.of("Path", "/dev/sda", "Rate", 1), Map.of("Path", "/dev/sda", "Rate", 2)),
                "device_write_bps", "/dev/sda:1m",
                "device_read_iops", List.of(Map.of("Path", "sda", "Rate", 5), Map.of("Path", "/dev/sdb")),
                "blkio_weight_device", List.of(Map.of("Path", "/dev/sda", "Weight", 5000)),
                "ulimits", List.of(Map.of("Name", "nofile", "Soft", 64, "Hard", 64, "Privileged", true)),
                "device_write_iops", List.of(),
                "oom_score_adj", 0)));
        assertThat(v).extracting(Violation::field).containsExactlyInAnyOrder("blkio_weight_device", "device_read_bps",
                "device_write_bps", "device_read_iops", "device_read_iops", "device_write_iops", "oom_score_adj",
                "ulimits");
        assertThat(v).extracting(Violation::rule).contains("must name /dev/sda once", "must be between 10 and 1000",
                "must hold only Name, Soft and Hard, not Privileged",
                "must not be 0: 0 is the default, leave oom_score_adj unset instead")
                .anyMatch(r -> r.startsWith("must be a list, not a String"))
                .anyMatch(r -> r.startsWith("must be a device path under /dev/"))
                .anyMatch(r -> r.startsWith("must hold a Path string and a Rate"))
                .anyMatch(r -> r.startsWith("must name at least one device"));
        assertThat(violations(() -> ResourceLimits.fromDockerPy(Map.of("oom_score_adj", 1001))))
                .extracting(Violation::field, Violation::value).containsExactly(tuple("oom_score_adj", "1001"));
    }

    @Test
    void textForm_readsListItemsAcrossCommas_butNotIntoTheNextKey() {
        ResourceLimits limits = ResourceLimits.parse(
                "cpuset_cpus=0-1,3,device_write_bps=/dev/sda:1m,/dev/sdb:2m,ulimits=nofile=1:2,nproc=3:4,mem_limit=1g");
        assertThat(limits.cpusetCpus()).contains(CpuSet.parse("0-1,3"));
        assertThat(limits.deviceWriteBps()).hasSize(2);
        assertThat(limits.ulimits()).containsExactly(Ulimit.of("nofile", 1, 2), Ulimit.of("nproc", 3, 4));
        assertThat(limits.memory()).contains(MemorySize.parse("1g"));
        // An unknown key after a list is not swallowed as an item of it: it is named.
        assertThat(violations(() -> ResourceLimits.parse("ulimits=nofile=1:2,privileged=true")))
                .extracting(Violation::field).containsExactly("ulimits");
        assertThat(violations(() -> ResourceLimits.parse("mem_limit=1g,privileged=true")))
                .extracting(Violation::field).containsExactly("privileged");
    }

    @Test
    void flags_takeADeviceOrUlimitPerFlag_andEveryOtherFlagOnce() {
        ResourceLimits limits = DockerCliFlags.read("--device-write-bps /dev/sda:1mb --device-write-bps=/dev/sdb:2m"
                + " --ulimit nofile=64:64 --ulimit nproc=10 --oom-score-adj -500 --blkio-weight-device /dev/sda:100").value();
        assertThat(limits.deviceWriteBps()).containsExactly(DeviceLimit.of("/dev/sda", 1L << 20),
                DeviceLimit.of("/dev/sdb", 2L << 20));
        assertThat(limits.ulimits()).containsExactly(Ulimit.of("nofile", 64, 64), Ulimit.of("nproc", 10, 10));
        assertThat(limits.oomScoreAdj()).hasValue(-500);
        assertThat(DockerCliFlags.line(limits)).isEqualTo("--blkio-weight-device /dev/sda:100 --device-write-bps"
                + " /dev/sda:1m --device-write-bps /dev/sdb:2m --oom-score-adj -500 --ulimit nofile=64:64"
                + " --ulimit nproc=10:10");
        assertThat(violations(() -> DockerCliFlags.read("--ulimit nofile=64:64 --ulimit nofile=32")))
                .extracting(Violation::field, Violation::rule).containsExactly(tuple("--ulimit", "must name nofile once"));
        assertThat(violations(() -> DockerCliFlags.read("--oom-score-adj 5 --oom-score-adj 6")))
                .extracting(Violation::field, Violation::rule).containsExactly(tuple("--oom-score-adj", "is given twice"));
        assertThat(violations(() -> DockerCliFlags.read("--device-read-iops /dev/sda:1x")))
                .extracting(Violation::field).containsExactly("--device-read-iops");
    }

    @Test
    void engine_readsAndWritesTheEnginesLists() {
        Map<String, Object> fields = Map.of(
                "BlkioDeviceReadBps", List.of(Map.of("Path", "/dev/sda", "Rate", 4194304)),
                "BlkioWeightDevice", List.of(),
                "Ulimits", List.of(Map.of("Name", "nofile", "Soft", 64, "Hard", 64)),
                "OomScoreAdj", 0);
        ResourceLimits limits = EngineHostConfig.read(fields).value();
        assertThat(limits.toString()).isEqualTo("device_read_bps=/dev/sda:4m,ulimits=nofile=64:64");
        assertThat(EngineHostConfig.write(limits).value()).containsOnlyKeys("BlkioDeviceReadBps", "Ulimits");
        assertThat(violations(() -> EngineHostConfig.read(Map.of("Ulimits", "nofile=64"))))
                .extracting(Violation::field).containsExactly("Ulimits");
    }
}
