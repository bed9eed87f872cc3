package dev.baton.problem;

import java.io.IOException;
import java.util.Collection;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBase;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.util.TokenBuffer;

/**
 * Request records refuse invalid values in their constructors, which Jackson calls before it looks
 * at unknown fields (it buffers those until the record exists, and builds the record as soon as its
 * last component is read). A misspelt field would then be reported as a missing one. So when a
 * record refuses its values, its object is checked for unknown fields first, and those win, as they
 * did when validation ran after deserialization.
 */
final class UnknownFieldsFirst extends BeanDeserializerModifier {

    @Override
    public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription description,
            JsonDeserializer<?> deserializer) {
        return description.getType().isRecordType() && deserializer instanceof BeanDeserializerBase
                ? new RecordDeserializer(deserializer)
                : deserializer;
    }

    private static final class RecordDeserializer extends DelegatingDeserializer {

        RecordDeserializer(JsonDeserializer<?> record) {
            super(record);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> record) {
            return new RecordDeserializer(record);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                return super.deserialize(p, ctxt);
            }
            // Bodies are at most 64 KiB: keeping the object to read its field names again costs little.
            TokenBuffer object = ctxt.bufferAsCopyOfValue(p);
            try (JsonParser copy = object.asParserOnFirstToken()) {
                return super.deserialize(copy, ctxt);
            } catch (ValueInstantiationException e) {
                if (e.getCause() instanceof InvalidRequest) {
                    refuseUnknownFields(object, ctxt);
                }
                throw e;
            }
        }

        private void refuseUnknownFields(TokenBuffer object, DeserializationContext ctxt) throws IOException {
            Collection<Object> known = ((BeanDeserializerBase) getDelegatee()).getKnownPropertyNames();
            try (JsonParser fields = object.asParserOnFirstToken()) {
                while (fields.nextToken() == JsonToken.FIELD_NAME) {
                    String name = fields.currentName();
                    fields.nextToken();
                    if (!known.contains(name)) {
                        ctxt.handleUnknownProperty(fields, this, handledType(), name);
                    }
                    fields.skipChildren();
                }
            }
        }
    }
}
