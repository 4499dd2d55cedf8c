package io.jinference.catalog;

/** A catalog request that cannot be honoured: an invalid registration, an unknown model, a spec that does not exist. */
public class CatalogException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public CatalogException(String message) {
        super(message);
    }

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
