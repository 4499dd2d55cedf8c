package io.jinference.hotplug;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Version;

class EngineCapabilityTest {

    private static Map<String, Object> wellFormed() {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("engine", "llama.cpp");
        attributes.put("version", new Version(1, 2, 0));
        attributes.put("formats", List.of("ggufv2"));
        attributes.put("quantizations.ggufv2", List.of("q4_0", "q8_0"));
        attributes.put("os", List.of("linux", "macos"));
        attributes.put("arch", List.of("x86_64"));
        attributes.put("devices", List.of("cpu"));
        attributes.put("abilities", List.of("chat", "generate"));
        attributes.put("priority", 10L);
        attributes.put("models.resource", "models.txt");
        return attributes;
    }

    @Test
    void acceptsAWellFormedCapability() {
        assertThat(new EngineCapability(wellFormed()).problems("models.txt"::equals)).isEmpty();
    }

    @Test
    void namesEveryMissingOrMistypedAttribute() {
        Map<String, Object> attributes = wellFormed();
        attributes.remove("devices");
        attributes.put("version", "1.2.0");
        attributes.put("formats", "ggufv2");
        attributes.put("priority", "10");

        assertThat(new EngineCapability(attributes).problems("models.txt"::equals)).containsExactlyInAnyOrder(
                "attribute 'version' must be typed version:Version=..., got String '1.2.0'",
                "attribute 'formats' must be typed formats:List<String>, got String 'ggufv2'",
                "required attribute 'devices' is missing (declare it as devices:List<String>=\"...\")",
                "attribute 'quantizations.ggufv2' names format 'ggufv2', which is not in 'formats'",
                "attribute 'priority' must be typed priority:Long=..., got String '10'");
    }

    @Test
    void refusesUnknownPlatformValuesAndAMissingModelsResource() {
        Map<String, Object> attributes = wellFormed();
        attributes.put("os", List.of("Linux"));
        attributes.put("devices", List.of("gpu"));

        assertThat(new EngineCapability(attributes).problems(path -> false)).containsExactlyInAnyOrder(
                "attribute 'os' has unknown value 'Linux' (known: [linux, macos, windows])",
                "attribute 'devices' has unknown value 'gpu' (known: [cpu, cuda, mps, rocm])",
                "attribute 'models.resource' names String 'models.txt', which is not in the bundle");
    }
}
