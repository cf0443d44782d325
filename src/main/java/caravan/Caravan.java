package caravan;

import caravan.cli.CaravanCommand;

/** Entry point: picks the command; {@code run} (the daemon) when none is given. */
public final class Caravan {

    private Caravan() {
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        String[] effective = args.length == 0 || args[0].startsWith("-") && !isHelpOrVersion(args[0])
                ? prepend("run", args) : args;
        return CaravanCommand.commandLine().execute(effective);
    }

    private static boolean isHelpOrVersion(String arg) {
        return arg.equals("-h") || arg.equals("--help") || arg.equals("-V") || arg.equals("--version");
    }

    private static String[] prepend(String first, String[] rest) {
        String[] out = new String[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }
}
