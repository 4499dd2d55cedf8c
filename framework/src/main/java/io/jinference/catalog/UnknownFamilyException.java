package io.jinference.catalog;

/** No family of that name is known; REST layers answer 404 (or Xinference's {@code null}) instead of 400. */
public class UnknownFamilyException extends CatalogException {
    private static final long serialVersionUID = 1L;

    public UnknownFamilyException(String name) {
        super("Model " + name + " not found in the catalog");
    }
}
