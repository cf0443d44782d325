package caravan.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.charset.CharacterCodingException;
import java.security.cert.CertificateException;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Whether another attempt can help: connection errors, timeouts, 5xx, 408 and 429 are transient; other 4xx, 3xx
 * and every non-I/O error (a bad selector, a bug) fail for good on the first attempt. So does an {@code IOException}
 * that is about content, not the connection: Jackson's parse errors and bad character or compressed data, which the
 * same bytes raise again; and a TLS handshake that failed on the site's certificate (untrusted, expired, another
 * host's), which the next attempt meets again.
 */
public enum FailureKind {
    TRANSIENT, PERMANENT;

    public static FailureKind of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                return isTransientStatus(http.getStatusCode()) ? TRANSIENT : PERMANENT;
            }
            if (t instanceof PermanentFailure || isUnchangingIoError(t)) {
                return PERMANENT;
            }
            if (t instanceof IOException || t instanceof TimeoutException) {
                return TRANSIENT;
            }
        }
        return PERMANENT;
    }

    private static boolean isUnchangingIoError(Throwable t) {
        return t instanceof JsonProcessingException || t instanceof CharacterCodingException || t instanceof ZipException
                || t instanceof UTFDataFormatException || t instanceof SSLPeerUnverifiedException
                || t instanceof SSLException && cause(t.getCause(), CertificateException.class) != null;
    }

    /** The first of {@code failure} and its causes that is a {@code type}; null when none is. */
    public static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    public static boolean isTransientStatus(int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    /** An HTTP status, when the failure is one. */
    public static Integer httpStatus(Throwable failure) {
        HttpOperationFailedException http = cause(failure, HttpOperationFailedException.class);
        return http == null ? null : http.getStatusCode();
    }

    /** A failure that must not be retried even though it may look like I/O (e.g. robots.txt disallows the URL). */
    public static class PermanentFailure extends IOException {
        public PermanentFailure(String message) {
            super(message);
        }
    }
}
