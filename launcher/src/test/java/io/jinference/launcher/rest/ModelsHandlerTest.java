package io.jinference.launcher.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

final class ModelsHandlerTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void sizesAreReadInXinferenceSpelling() {
        assertThat(ModelsHandler.size(NODES.numberNode(7))).isEqualTo("7");
        assertThat(ModelsHandler.size(NODES.numberNode(1.8))).isEqualTo("1_8");
        assertThat(ModelsHandler.size(NODES.numberNode(7.0))).isEqualTo("7");
        assertThat(ModelsHandler.size(NODES.textNode("0_5"))).isEqualTo("0_5");
        assertThat(ModelsHandler.size(NODES.nullNode())).isNull();
        assertThatThrownBy(() -> ModelsHandler.size(NODES.booleanNode(true))).isInstanceOf(ApiError.class);
    }
}
