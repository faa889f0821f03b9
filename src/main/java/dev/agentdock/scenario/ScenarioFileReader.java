package dev.agentdock.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns one YAML file into a {@link Scenario}, or into a {@link ScenarioLoadException} naming the file and the
 * line (malformed YAML) or the field (unknown key, wrong type).
 */
final class ScenarioFileReader {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    private ScenarioFileReader() {
    }

    /** @param file how the file is named in messages: a path, or {@code classpath:scenarios/x.yaml} */
    static Scenario read(String file, InputStream in) {
        try {
            // Two passes: syntax first (its errors carry a reliable line), then binding (its errors carry a field path;
            // records are bound from buffered properties, so the parser's line there points past the object)
            JsonNode tree = YAML.readTree(in);
            Scenario scenario = tree == null || tree.isMissingNode() || tree.isNull() ? null : YAML.treeToValue(tree, Scenario.class);
            if (scenario == null) {
                throw ScenarioValidator.failure(file, "", "the file is empty");
            }
            return scenario;
        } catch (UnrecognizedPropertyException e) {
            throw ScenarioValidator.failure(file, pathOf(e),
                    "unknown field '" + e.getPropertyName() + "'");
        } catch (MismatchedInputException e) {
            String expected = e.getTargetType() == null ? "another type" : typeName(e.getTargetType());
            throw ScenarioValidator.failure(file, pathOf(e), "wrong type, expected " + expected);
        } catch (JsonMappingException e) {
            Throwable root = e.getCause() == null ? e : e.getCause();
            throw ScenarioValidator.failure(file, pathOf(e), root.getMessage() == null ? "invalid value" : firstLine(root.getMessage()));
        } catch (JsonProcessingException e) {
            throw ScenarioValidator.failure(file, "", "malformed YAML" + line(e.getLocation()) + ": " + yamlProblem(e));
        } catch (IOException e) {
            throw ScenarioValidator.failure(file, "", "cannot be read: " + e.getMessage());
        }
    }

    private static String typeName(Class<?> type) {
        if (type == String.class || type.isEnum()) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return Number.class.isAssignableFrom(type) || type.isPrimitive() ? "a number" : "a mapping";
    }

    private static String yamlProblem(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblem() != null) {
            return yaml.getContext() == null ? yaml.getProblem() : yaml.getContext() + ": " + yaml.getProblem();
        }
        return firstLine(e.getOriginalMessage());
    }

    private static String pathOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String line(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
