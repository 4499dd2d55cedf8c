package io.jinference.tck;

import io.jinference.api.EngineException;
import io.jinference.api.SamplingParams;
import java.util.Arrays;
import java.util.List;

/** Every ability the capability does not declare answers UNSUPPORTED instead of doing something else. */
final class AbilityChecks {

    private AbilityChecks() {
    }

    static List<Check> undeclared(List<String> declared, ModelUnderTest model) {
        return Arrays.stream(Ability.values())
                .filter(ability -> !declared.contains(ability.capabilityName()))
                .map(ability -> new Check("undeclared ability '" + ability.capabilityName() + "' answers UNSUPPORTED",
                        () -> Expect.engineException(EngineException.Kind.UNSUPPORTED,
                                "Calling " + ability.capabilityName() + " on an engine that does not declare it",
                                () -> ability.invoke(model.get(), "Hello", SamplingParams.defaults(),
                                        RecordingSink.collecting()))))
                .toList();
    }
}
