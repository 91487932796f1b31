-- Extra questions an organiser asks at registration ("Which talk interests
-- you most?", "I agree to be photographed").
CREATE TYPE question_kind AS ENUM ('text', 'choice', 'checkbox');

CREATE TABLE event_questions (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id  bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    position  integer NOT NULL,
    kind      question_kind NOT NULL,
    label     text NOT NULL CONSTRAINT event_questions_label_length CHECK (length(label) BETWEEN 1 AND 300),
    -- The choices of a 'choice' question, in order; empty for the others.
    options   text[] NOT NULL DEFAULT '{}',
    required  boolean NOT NULL DEFAULT false,
    CONSTRAINT event_questions_choices_have_options CHECK ((kind = 'choice') = (cardinality(options) >= 2)),
    CONSTRAINT event_questions_position_unique UNIQUE (event_id, position)
);

-- The answers, keyed by the question's label as it read when answered: an
-- organiser may reword or drop a question later without losing what people said.
ALTER TABLE registrations ADD COLUMN answers jsonb NOT NULL DEFAULT '{}';
