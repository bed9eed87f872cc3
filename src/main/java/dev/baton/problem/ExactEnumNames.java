package dev.baton.problem;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;

/**
 * PRODUCT.md: enums by name only. Jackson's own enum deserializer retries a name it does not know
 * with {@code String.trim()}, which strips every character up to U+0020 (spaces, tabs, NUL), so
 * {@code "BUSY\u0000"} and {@code " BUSY"} were read as BUSY; no feature switches that off. This one
 * accepts a JSON string that is exactly a constant's name, for every enum, and nothing else.
 */
final class ExactEnumNames extends BeanDeserializerModifier {

    @Override
    public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type, BeanDescription description,
            JsonDeserializer<?> deserializer) {
        return new Names(type.getRawClass());
    }

    private static final class Names extends StdScalarDeserializer<Object> {

        private final Map<String, Object> byName = new HashMap<>();

        Names(Class<?> type) {
            super(type);
            for (Object constant : type.getEnumConstants()) {
                byName.put(((Enum<?>) constant).name(), constant);
            }
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                return ctxt.handleUnexpectedToken(handledType(), p);
            }
            Object constant = byName.get(p.getText());
            return constant != null ? constant : ctxt.handleWeirdStringValue(handledType(), p.getText(), "not the name of a constant");
        }
    }
}
