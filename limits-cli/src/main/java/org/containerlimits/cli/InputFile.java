package org.containerlimits.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.containerlimits.files.ComposeFile;
import org.containerlimits.files.FileLimits;
import org.containerlimits.files.KubernetesManifests;

/**
 * A whole Compose file or Kubernetes manifest named on the command line, or standard input for
 * {@code -}: read by limits-files, a file that cannot be found or read as bad input naming it.
 */
final class InputFile {

    private InputFile() {}

    /**
     * Reads a file.
     *
     * @param format {@code compose-file} or {@code kubernetes-file}
     * @param name the path, or {@code -} for standard input
     * @param option how the command line names the file, for messages ({@code INPUT}, {@code -f})
     * @param stdin standard input
     */
    static FileLimits read(String format, String name, String option, InputStream stdin) throws IOException {
        boolean compose = format.equals("compose-file");
        if (name.equals("-")) {
            return compose ? ComposeFile.read(stdin, "-") : KubernetesManifests.read(stdin, "-");
        }
        try {
            Path path = Path.of(name);
            return compose ? ComposeFile.read(path) : KubernetesManifests.read(path);
        } catch (InvalidPathException | NoSuchFileException e) {
            throw new BadInputException(List.of(option + " '" + LimitsCommand.oneLine(name) + "': no such file"));
        } catch (IOException e) {
            throw new BadInputException(List.of(option + " '" + LimitsCommand.oneLine(name) + "': cannot be read"
                    + (e.getMessage() == null ? "" : ": " + LimitsCommand.oneLine(e.getMessage()))));
        }
    }
}
