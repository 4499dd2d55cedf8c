package io.jinference.tck;

import io.jinference.api.EngineContext;
import io.jinference.api.InferenceEngine;
import io.jinference.api.LoadRequest;
import io.jinference.api.RunningModel;

/** The one model a conformance run loads, shared by the checks that need it and closed by the last one. */
final class ModelUnderTest {

    private final InferenceEngine engine;
    private final LoadRequest request;
    private final EngineContext context;
    private RunningModel model;
    private AssertionError loadFailure;

    ModelUnderTest(InferenceEngine engine, LoadRequest request, EngineContext context) {
        this.engine = engine;
        this.request = request;
        this.context = context;
    }

    LoadRequest request() {
        return request;
    }

    /** The loaded model; the first call loads it, and a failed load fails every check that needs the model. */
    synchronized RunningModel get() {
        if (loadFailure != null) {
            throw loadFailure;
        }
        if (model == null) {
            try {
                model = engine.load(request, context);
            } catch (RuntimeException e) {
                loadFailure = new AssertionError("Loading " + request.modelPath() + " failed: " + e, e);
                throw loadFailure;
            }
            Expect.isTrue(model != null, "InferenceEngine.load returned null for " + request.modelPath());
        }
        return model;
    }

    /** Closes the model twice, as the contract allows; a model never loaded is left alone. */
    synchronized void closeTwice() {
        if (model != null) {
            model.close();
            model.close();
        }
    }
}
