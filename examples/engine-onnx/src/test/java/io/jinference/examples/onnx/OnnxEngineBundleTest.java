package io.jinference.examples.onnx;

import io.jinference.tck.EngineConformance;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The packaged bundle, installed into Felix by the conformance kit, passes every check on all-MiniLM-L6-v2. */
class OnnxEngineBundleTest {

    @TestFactory
    Stream<DynamicTest> conformance() {
        Path bundle = Path.of(System.getProperty("bundle.jar"));
        return EngineConformance.forBundleJar(bundle).model(MiniLm.loadRequest()).dynamicTests();
    }
}
