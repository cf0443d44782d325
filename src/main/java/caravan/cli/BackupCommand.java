package caravan.cli;

import caravan.jmx.Json;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code caravan backup [NAME]}: an online backup of the daemon's H2 database, written by the daemon. */
@Command(name = "backup", description = "Back up the daemon's H2 database while it runs, to a zip in its backup folder.")
public final class BackupCommand extends DaemonCommand {

    @Parameters(paramLabel = "NAME", arity = "0..1",
            description = "File name in the backup folder (caravan.backup.dir); default caravan-YYYYMMDD-HHMMSS.zip (UTC)")
    String name;

    @Override
    int run(JmxClient client, PrintWriter out) {
        Map<String, Object> written = Json.readRow(client.call(j -> j.backupDatabase(name)));
        long bytes = ((Number) written.get("bytes")).longValue();
        out.printf("Backed up to %s (%s, %d ms)%n", written.get("file"), size(bytes), ((Number) written.get("took_ms")).longValue());
        out.println("Restore: stop the daemon, unzip it into the data folder (it holds caravan.mv.db), start the daemon.");
        out.flush();
        return CaravanCommand.EXIT_OK;
    }

    private static String size(long bytes) {
        return bytes < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0) : String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
