package dev.agentdock.session;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Enums are stored as their lowercase wire names, which the tables' CHECK constraints list. */
final class WireEnumConverters {

    private WireEnumConverters() {
    }

    @Converter(autoApply = true)
    public static class Role implements AttributeConverter<StepRole, String> {
        @Override
        public String convertToDatabaseColumn(StepRole role) {
            return role == null ? null : role.wire();
        }

        @Override
        public StepRole convertToEntityAttribute(String value) {
            return value == null ? null : StepRole.fromWire(value);
        }
    }

    @Converter(autoApply = true)
    public static class Status implements AttributeConverter<RunStatus, String> {
        @Override
        public String convertToDatabaseColumn(RunStatus status) {
            return status == null ? null : status.wire();
        }

        @Override
        public RunStatus convertToEntityAttribute(String value) {
            return value == null ? null : RunStatus.fromWire(value);
        }
    }
}
