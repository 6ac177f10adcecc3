package org.containerlimits.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Version;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
  * A registry-free image for tests and examples: {@value #NAME}, a 2 MB root file system holding
  * the host's static busybox and nothing else, built and loaded locally when missing.
  *
  * <pre>{@code
  * String image = BusyboxImage.ensure(client);   // loads it once, never pulls
  * client.createContainerCmd(image).withCmd("sleep", "60").exec();
  * }</pre>
  *
  * <p>Its single layer is a tar built here in memory:
  *
  * <ul>
  *   <li>{@code /bin/busybox}, copied from the host's {@code /bin/busybox} or {@code
  *       /usr/bin/busybox}, which must be statically linked (Debian's {@code busybox-static}),
  *       since the image has no libc;
  *   <li>{@code /bin/}<i>applet</i> symbolic links to it for each of {@link #APPLETS};
  *   <li>the empty directories {@link #DIRECTORIES} that the runtime mounts over or programs
  *       expect.
  * </ul>
  *
  * <p>The image is loaded with docker-java's {@code loadImageAsyncCmd} ({@code docker load}) from
  * an image archive wrapped around that layer, with {@code PATH} set, {@code sh} as the command and
  * the label {@value #LABEL}{@code =true}. It is not imported ({@code docker import})
  * because docker-java 3.7.1 has no import command of its own, and the one that does it, {@code
  * createImageCmd(repository, stream)}, is broken: its request body is the stream serialized as JSON
  * rather than the tar, and the daemon answers "unexpected EOF" (docker-java issue 2377). Nothing
  * is ever pulled.
  *
  * <p>The layer tar is deterministic (fixed times, owners and order), so its SHA-256 is the layer's
  * diff ID; {@link #ensure(DockerClient)} compares that with the image's layers and loads the image
  * again when one of that name exists but was built differently, for example by an older version
  * of this class or from another busybox. Loading again moves the tag; the old image stays behind,
  * untagged.
  *
  * <p>The busybox binary must suit the daemon's machine; in practice the daemon is local.
  */
public final class BusyboxImage {

    /** The image's name. */
    public static final String NAME = "containerlimits/busybox:test";

    /** The label the image carries ({@code =true}), and that test fixtures put on their containers. */
    public static final String LABEL = "org.containerlimits.test";

    /** The busybox applets linked into {@code /bin}. */
    public static final List<String> APPLETS =
            List.of("sh", "cat", "sleep", "dd", "yes", "ls", "ps", "head", "top", "mkdir", "rm");

    /** The empty top-level directories in the image. */
    public static final List<String> DIRECTORIES = List.of("tmp", "proc", "sys", "dev", "etc");

    /** Where a static busybox is looked for, in order. */
    public static final List<Path> BUSYBOX_CANDIDATES =
            List.of(Path.of("/bin/busybox"), Path.of("/usr/bin/busybox"));

    /** The image's search path: Docker's usual default, which a loaded image must set itself. */
    public static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static final Logger LOG = LoggerFactory.getLogger(BusyboxImage.class);

    /**
      * A fixed time for every tar entry; any fixed value would do, it only has to stay the same so
      * that an unchanged busybox gives an unchanged layer.
      */
    private static final Instant EPOCH_INSTANT = Instant.parse("2024-01-01T00:00:00Z");

    private static final FileTime EPOCH = FileTime.from(EPOCH_INSTANT);

    /** What {@link #loadArchive(DockerClient, String, byte[])} accepts as an image name. */
    private static final Pattern IMAGE_NAME = Pattern.compile("[a-z0-9][a-z0-9._/-]*:[A-Za-z0-9._-]+");

    private static final int PT_INTERP = 3;

    private static final Object LOCK = new Object();

    /** Guarded by {@link #LOCK}: set once the image is known to be current in this JVM. */
    private static boolean ensured;

    private BusyboxImage() {}

    /**
      * Makes sure {@value #NAME} exists and matches this host's busybox, loading it when not. The
      * check runs once per JVM; later calls return at once. Safe to call from several threads.
      *
      * @param docker a connected client
      * @return {@value #NAME}, for use in {@code createContainerCmd}
      * @throws IllegalStateException if no static busybox is installed on this host, or the daemon
      *     does not show the image after loading it
      */
    public static String ensure(DockerClient docker) {
        Objects.requireNonNull(docker, "docker");
        synchronized (LOCK) {
            if (!ensured) {
                byte[] layer = rootFsTar(findStaticBusybox());
                String wanted = diffId(layer);
                Optional<InspectImageResponse> existing = inspect(docker, NAME);
                if (existing.isPresent() && isCurrent(existing.get(), wanted)) {
                    LOG.debug("Image {} is current (layer {})", NAME, wanted);
                } else {
                    LOG.info(
                            "Loading image {} (layer {}); it {}",
                            NAME,
                            wanted,
                            existing.isEmpty() ? "does not exist" : "was built differently");
                    loadArchive(docker, NAME, layer);
                    if (!inspect(docker, NAME).map(image -> isCurrent(image, wanted)).orElse(false)) {
                        throw new IllegalStateException(
                                "Loaded " + NAME + " but it does not have the layer " + wanted);
                    }
                }
                ensured = true;
            }
        }
        return NAME;
    }

    /**
      * Loads the image under {@code name}, whether or not it exists.
      *
      * @param docker a connected client
      * @param name the image name, {@code repository:tag}
      * @return the layer diff ID the image should report, {@code sha256:...}
      */
    public static String build(DockerClient docker, String name) {
        byte[] layer = rootFsTar(findStaticBusybox());
        loadArchive(docker, name, layer);
        return diffId(layer);
    }

    /**
      * Returns the image's layer diff IDs.
      *
      * @return the layers, or empty when the image does not exist
      */
    public static Optional<List<String>> layers(DockerClient docker, String name) {
        return inspect(docker, name)
                .map(
                        image ->
                                image.getRootFS() == null || image.getRootFS().getLayers() == null
                                        ? List.of()
                                        : List.copyOf(image.getRootFS().getLayers()));
    }

    private static Optional<InspectImageResponse> inspect(DockerClient docker, String name) {
        try {
            return Optional.of(docker.inspectImageCmd(name).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private static boolean isCurrent(InspectImageResponse image, String diffId) {
        // Compared by content rather than image ID: the ID depends on the image store (containerd's
        // store reports a manifest digest), the diff IDs do not.
        boolean sameLayer =
                image.getRootFS() != null && List.of(diffId).equals(image.getRootFS().getLayers());
        boolean labelled =
                image.getConfig() != null
                        && image.getConfig().getLabels() != null
                        && "true".equals(image.getConfig().getLabels().get(LABEL));
        return sameLayer && labelled;
    }

    private static void loadArchive(DockerClient docker, String name, byte[] layer) {
        Version daemon = docker.versionCmd().exec();
        byte[] archive = imageArchive(name, layer, daemon.getArch(), daemon.getOperatingSystem());
        // awaitMessage() fails with the daemon's error if the stream reports one; a silent 200 with
        // nothing loaded is caught by the caller's inspection.
        String message =
                docker.loadImageAsyncCmd(new ByteArrayInputStream(archive)).start().awaitMessage();
        LOG.debug("Loaded {}: {}", name, message == null ? "" : message.strip());
    }

    /**
      * Wraps a layer into an image archive as {@code docker save} writes it: {@code manifest.json},
      * the image config named by its digest, and the layer.
      *
      * @param name the image name, {@code repository:tag}
      * @param layer the uncompressed layer tar
      * @param architecture the daemon's architecture, such as {@code amd64}
      * @param os the daemon's operating system, {@code linux}
      * @return the archive
      */
    public static byte[] imageArchive(String name, byte[] layer, String architecture, String os) {
        if (!IMAGE_NAME.matcher(name).matches()) {
            // The JSON below is written by hand, so only names that need no escaping are allowed.
            throw new IllegalArgumentException("Not a plain repository:tag image name: " + name);
        }
        String diffId = diffId(layer);
        String created = EPOCH_INSTANT.toString();
        String config =
                "{\"architecture\":\"" + plain(architecture) + "\","
                        + "\"os\":\"" + plain(os) + "\","
                        + "\"created\":\"" + created + "\","
                        + "\"config\":{"
                        + "\"Env\":[\"PATH=" + PATH + "\"],"
                        + "\"Cmd\":[\"sh\"],"
                        + "\"Labels\":{\"" + LABEL + "\":\"true\"}},"
                        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]},"
                        + "\"history\":[{\"created\":\"" + created + "\","
                        + "\"created_by\":\"org.containerlimits.testing.BusyboxImage\"}]}";
        byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
        String configFile = hex(configBytes) + ".json";
        String layerFile = diffId.substring("sha256:".length()) + "/layer.tar";
        String manifest =
                "[{\"Config\":\"" + configFile + "\","
                        + "\"RepoTags\":[\"" + name + "\"],"
                        + "\"Layers\":[\"" + layerFile + "\"]}]";
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(layer.length + 16 * 1024);
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                file(tar, configFile, configBytes, 0644);
                directory(tar, layerFile.substring(0, layerFile.indexOf('/') + 1), 0755);
                file(tar, layerFile, layer, 0644);
                file(tar, "manifest.json", manifest.getBytes(StandardCharsets.UTF_8), 0644);
                tar.finish();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot build the image archive of " + name, e);
        }
    }

    private static String plain(String value) {
        if (value == null || !value.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("Unexpected platform value from the daemon: " + value);
        }
        return value;
    }

    /**
      * Finds the host's busybox and checks it is statically linked.
      *
      * @return the binary's path
      * @throws IllegalStateException if there is none, or only a dynamically linked one
      */
    public static Path findStaticBusybox() {
        for (Path candidate : BUSYBOX_CANDIDATES) {
            if (Files.isRegularFile(candidate)) {
                byte[] elf;
                try {
                    elf = Files.readAllBytes(candidate);
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read " + candidate, e);
                }
                if (isStaticElf(elf)) {
                    return candidate;
                }
                LOG.warn("{} is not a statically linked ELF executable; looking further", candidate);
            }
        }
        throw new IllegalStateException(
                "The Docker tests need a statically linked busybox at one of "
                        + BUSYBOX_CANDIDATES
                        + " to build the image "
                        + NAME
                        + " (nothing is pulled). On Debian or Ubuntu: apt-get install busybox-static.");
    }

    /**
      * Tells whether the bytes are an ELF executable without a program interpreter (no {@code
      * PT_INTERP} program header), meaning it needs no dynamic loader or libc at run time.
      *
      * @param elf the whole file
      * @return whether it is a static ELF executable
      */
    public static boolean isStaticElf(byte[] elf) {
        if (elf.length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F') {
            return false;
        }
        boolean is64 = elf[4] == 2;
        ByteBuffer b =
                ByteBuffer.wrap(elf).order(elf[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        long phoff = is64 ? b.getLong(0x20) : Integer.toUnsignedLong(b.getInt(0x1c));
        int phentsize = Short.toUnsignedInt(b.getShort(is64 ? 0x36 : 0x2a));
        int phnum = Short.toUnsignedInt(b.getShort(is64 ? 0x38 : 0x2c));
        if (phnum == 0 || phentsize < 4 || phoff + (long) phnum * phentsize > elf.length) {
            return false;
        }
        for (int i = 0; i < phnum; i++) {
            if (b.getInt((int) (phoff + (long) i * phentsize)) == PT_INTERP) {
                return false;
            }
        }
        return true;
    }

    /**
      * Builds the image's root file system as an uncompressed tar, the same bytes for the same
      * busybox.
      *
      * @param busybox the static busybox to include
      * @return the tar
      */
    public static byte[] rootFsTar(Path busybox) {
        try {
            byte[] binary = Files.readAllBytes(busybox);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(binary.length + 64 * 1024);
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                directory(tar, "bin/", 0755);
                for (String dir : DIRECTORIES) {
                    // /tmp is world-writable with the sticky bit, as everywhere.
                    directory(tar, dir + "/", "tmp".equals(dir) ? 01777 : 0755);
                }
                file(tar, "bin/busybox", binary, 0755);
                for (String applet : APPLETS) {
                    TarArchiveEntry link = entry("bin/" + applet, TarConstants.LF_SYMLINK, 0777);
                    link.setLinkName("busybox");
                    tar.putArchiveEntry(link);
                    tar.closeArchiveEntry();
                }
                tar.finish();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot build the root file system of " + NAME, e);
        }
    }

    /**
      * Returns the diff ID Docker gives a layer made from this uncompressed tar: its SHA-256.
      *
      * @param tar the layer
      * @return {@code sha256:} followed by the hex digest
      */
    public static String diffId(byte[] tar) {
        return "sha256:" + hex(tar);
    }

    private static String hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content, int mode)
            throws IOException {
        TarArchiveEntry file = entry(name, TarConstants.LF_NORMAL, mode);
        file.setSize(content.length);
        tar.putArchiveEntry(file);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static void directory(TarArchiveOutputStream tar, String name, int mode)
            throws IOException {
        tar.putArchiveEntry(entry(name, TarConstants.LF_DIR, mode));
        tar.closeArchiveEntry();
    }

    private static TarArchiveEntry entry(String name, byte type, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, type);
        // The constructor fills in the current time and user; pin everything for a stable digest.
        e.setMode(typeBits(type) | mode);
        e.setIds(0, 0);
        e.setUserName("root");
        e.setGroupName("root");
        e.setModTime(EPOCH);
        return e;
    }

    private static int typeBits(byte type) {
        return switch (type) {
            case TarConstants.LF_DIR -> 040000;
            case TarConstants.LF_SYMLINK -> 0120000;
            default -> 0100000;
        };
    }
}
