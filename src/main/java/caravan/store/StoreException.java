package caravan.store;

import java.sql.SQLException;

/** A database operation failed; carries the statement so the log says which. */
public class StoreException extends RuntimeException {

    public StoreException(String sql, SQLException cause) {
        super("Database error (" + cause.getMessage() + ") running: " + sql, cause);
    }
}
