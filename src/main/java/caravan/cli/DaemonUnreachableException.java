package caravan.cli;

/** The CLI cannot talk to the daemon; the message says the address tried and how to fix it (exit code 4). */
public final class DaemonUnreachableException extends RuntimeException {

    public DaemonUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
