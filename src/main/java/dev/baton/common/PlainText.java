package dev.baton.common;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * Human text: at most {@code max} characters (Unicode code points, so an emoji counts once), no
 * control characters other than tab and line breaks, no lone surrogates. Null is left to @NotNull.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD })
@Constraint(validatedBy = PlainText.Validator.class)
public @interface PlainText {

    int max();

    boolean multiline() default false;

    String message() default "must be 1 to {max} characters of text without control characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<PlainText, String> {

        private int max;
        private boolean multiline;

        @Override
        public void initialize(PlainText annotation) {
            max = annotation.max();
            multiline = annotation.multiline();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            if (value.isBlank() || value.length() > 2 * max || value.codePointCount(0, value.length()) > max) {
                return false;
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                boolean lineBreak = c == '\n' || c == '\r' || c == '\t';
                if ((Character.isISOControl(c) && !(multiline && lineBreak))
                        || (Character.isHighSurrogate(c) && (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(++i))))
                        || Character.isLowSurrogate(c)) {
                    return false;
                }
            }
            return true;
        }
    }
}
