package io.jinference.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class ModelSizesTest {

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource({
            "1_8, 1.8, true",
            "1_8, 1_8, true",
            "001, 1, true",
            "7, 7.0, true",
            "0_135, 0.135, true",
            "1_8, 18, false",
            "1, 1_8, false",
            "1, 1b, false",
            "46_7, 46.7, true",
    })
    void sizesMatchAsNumbersOfBillions(String a, String b, boolean expected) {
        assertThat(ModelSizes.matches(a, b)).isEqualTo(expected);
        assertThat(ModelSizes.matches(b, a)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"1.8, 1_8", "1_80, 1_8", "007, 7", "0.135, 0_135", "70, 70"})
    void canonicalSpellingUsesUnderscoreAsDecimalPoint(String size, String canonical) {
        assertThat(ModelSizes.canonical(size)).isEqualTo(canonical);
    }

    @ParameterizedTest
    @CsvSource({"1b", "seven", "-1"})
    void nonNumericSizesAreRejectedWithAHint(String size) {
        assertThat(ModelSizes.isValid(size)).isFalse();
        assertThatThrownBy(() -> ModelSizes.canonical(size)).isInstanceOf(CatalogException.class)
                .hasMessageContaining("write 7, 0_5 or 1.8");
    }

    @org.junit.jupiter.api.Test
    void numbersAreAcceptedAsSizes() {
        assertThat(ModelSizes.canonical(1.8)).isEqualTo("1_8");
        assertThat(ModelSizes.matches(ModelSizes.canonical(7), "7")).isTrue();
    }
}
