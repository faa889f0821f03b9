package dev.agentdock.run.events;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Discriminator;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;

/**
 * Puts the run events into the OpenAPI document (at build time: the stored document is served as built, so start-up
 * does not re-read and re-filter it): a schema per record,
 * named {@code <Record>Event}, and {@code RunEvent}, their {@code oneOf} with a discriminator on {@code type}, so a
 * client generates the stream's types from the document. Built from the records themselves, so a field added to a
 * record is in the document. The SSE routes stream these; no route returns them as a body, so the scan alone would
 * leave them out.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class RunEventSchemas implements OASFilter {

    private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE = new PropertyNamingStrategies.SnakeCaseStrategy();
    private static final String REF = "#/components/schemas/";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.components(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        Schema union = OASFactory.createSchema().description("One event of a run's stream (SSE `event:` = `type`; "
                + "`id: <run_id>:<event_seq>`). A stopped run ends with `run_cancelled`, status `interrupted`.");
        Discriminator discriminator = OASFactory.createDiscriminator().propertyName("type");
        RunEventCodec.records().forEach((type, record) -> {
            String name = record.getSimpleName() + "Event";
            components.addSchema(name, event(type, record, components));
            union.addOneOf(OASFactory.createSchema().ref(REF + name));
            discriminator.addMapping(type.wire(), REF + name);
        });
        components.addSchema("RunEvent", union.discriminator(discriminator));
    }

    private static Schema event(RunEventType type, Class<?> record, Components components) {
        Schema schema = object()
                .description(type.isTerminal() ? "Terminal: the stream ends after it." : null)
                .addProperty("type", string().addEnumeration(type.wire()))
                .addProperty("run_id", string().format("uuid"))
                .addProperty("session_id", string().format("uuid"))
                .addProperty("event_seq", OASFactory.createSchema().addType(SchemaType.INTEGER).format("int64"))
                .addProperty("ts", string().format("date-time"));
        List.of("type", "run_id", "session_id", "event_seq", "ts").forEach(schema::addRequired);
        fields(schema, record, components, true);
        return schema;
    }

    /** The record's components as properties (snake_case); primitives are required, the rest optional. */
    private static void fields(Schema schema, Class<?> record, Components components, boolean skipStamp) {
        for (RecordComponent c : record.getRecordComponents()) {
            if (skipStamp && c.getType() == RunEvent.Stamp.class) {
                continue;
            }
            String name = SNAKE.translate(c.getName());
            Schema property = c.isAnnotationPresent(JsonRawValue.class) || c.getAccessor().isAnnotationPresent(JsonRawValue.class)
                    ? OASFactory.createSchema().description("JSON, as stored")
                    : of(c.getGenericType(), components);
            schema.addProperty(name, property);
            if (c.getType().isPrimitive()) {
                schema.addRequired(name);
            }
        }
    }

    private static Schema of(Type type, Components components) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            if (List.class.isAssignableFrom(raw)) {
                return OASFactory.createSchema().addType(SchemaType.ARRAY).items(of(p.getActualTypeArguments()[0], components));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return object().additionalPropertiesSchema(of(p.getActualTypeArguments()[1], components));
            }
            return OASFactory.createSchema();
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            return string();
        }
        if (c == UUID.class) {
            return string().format("uuid");
        }
        if (c == Instant.class || c == OffsetDateTime.class) {
            return string().format("date-time");
        }
        if (c == int.class || c == Integer.class) {
            return OASFactory.createSchema().addType(SchemaType.INTEGER).format("int32");
        }
        if (c == long.class || c == Long.class) {
            return OASFactory.createSchema().addType(SchemaType.INTEGER).format("int64");
        }
        if (c == double.class || c == Double.class) {
            return OASFactory.createSchema().addType(SchemaType.NUMBER).format("double");
        }
        if (c == boolean.class || c == Boolean.class) {
            return OASFactory.createSchema().addType(SchemaType.BOOLEAN);
        }
        if (c.isRecord()) {
            String name = (c.getEnclosingClass() == RunEvent.class ? "RunEvent" : "") + c.getSimpleName();
            if (components.getSchemas() == null || !components.getSchemas().containsKey(name)) {
                Schema nested = object();
                components.addSchema(name, nested); // before its fields: a record may refer to itself
                fields(nested, c, components, false);
            }
            return OASFactory.createSchema().ref(REF + name);
        }
        return OASFactory.createSchema();
    }

    private static Schema object() {
        return OASFactory.createSchema().addType(SchemaType.OBJECT);
    }

    private static Schema string() {
        return OASFactory.createSchema().addType(SchemaType.STRING);
    }
}
