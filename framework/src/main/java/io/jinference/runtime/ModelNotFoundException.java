package io.jinference.runtime;

/** No model with this UID is launched. */
public class ModelNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelNotFoundException(String uid) {
        super("Model not found in the model list, uid: " + uid);
    }
}
