package dev.agentdock.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * One simulated Realtime call (GA event protocol): a session config, a conversation and at most one response at a
 * time, seen alike by every socket on the call — the browser's and any sideband ({@code ?call_id=}). Server events go
 * to all peers; an error goes only to the peer whose event caused it. All state is guarded by this object's lock;
 * a response's events are played by Vert.x timers so {@code response.cancel} can cut one short.
 */
final class RealtimeCall {

    /** A socket on the call. */
    interface Peer {
        void send(String json);

        void close();
    }

    private final String id;
    private final ObjectNode session;
    private final Vertx vertx;
    private final ObjectMapper mapper;
    private final Consumer<RealtimeCall> onEnd;
    private final List<Peer> peers = new ArrayList<>();
    private final List<ObjectNode> items = new ArrayList<>();
    private Response active;
    private boolean ended;

    RealtimeCall(String id, ObjectNode session, Vertx vertx, ObjectMapper mapper, Consumer<RealtimeCall> onEnd) {
        this.id = id;
        this.session = session;
        this.vertx = vertx;
        this.mapper = mapper;
        this.onEnd = onEnd;
    }

    String id() {
        return id;
    }

    synchronized boolean ended() {
        return ended;
    }

    synchronized void join(Peer peer) {
        if (ended) {
            peer.close();
            return;
        }
        peers.add(peer);
        ObjectNode created = event("session.created");
        created.set("session", session.deepCopy());
        peer.send(write(created));
    }

    synchronized void leave(Peer peer) {
        peers.remove(peer);
    }

    /** The call is over (hang-up, or its browser socket closed): every peer is closed. */
    synchronized void end() {
        if (ended) {
            return;
        }
        ended = true;
        if (active != null) {
            active.stop();
            active = null;
        }
        List<Peer> all = List.copyOf(peers);
        peers.clear();
        all.forEach(Peer::close);
        onEnd.accept(this);
    }

    /** A client event from {@code from}. */
    synchronized void receive(Peer from, String text) {
        JsonNode event;
        try {
            event = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            fail(from, null, "invalid_json", null, "The server could not parse the event: expected a JSON object.");
            return;
        }
        if (!event.isObject() || !event.path("type").isTextual()) {
            fail(from, null, "invalid_value", "type", "Missing required parameter: 'type'.");
            return;
        }
        String eventId = event.path("event_id").asText(null);
        switch (event.get("type").asText()) {
            case "session.update" -> updateSession(from, eventId, event.path("session"));
            case "conversation.item.create" -> createItem(from, eventId, event.path("item"), event.path("previous_item_id"));
            case "response.create" -> createResponse(from, eventId);
            case "response.cancel" -> cancelResponse(from, eventId);
            case "conversation.item.retrieve" -> retrieveItem(from, eventId, event.path("item_id").asText(""));
            case "input_audio_buffer.append", "input_audio_buffer.clear", "input_audio_buffer.commit",
                 "output_audio_buffer.clear" -> {
                // no audio in the simulator: the user speaks through the control hook
            }
            default -> fail(from, eventId, "invalid_value", "type",
                    "Invalid value: '" + event.get("type").asText() + "'. Supported values are: 'session.update', "
                            + "'conversation.item.create', 'conversation.item.retrieve', 'response.create', 'response.cancel', "
                            + "'input_audio_buffer.*'.");
        }
    }

    /**
     * The control hook: the user says {@code utterance}, as server VAD and transcription would report it. The model
     * hears the markers; the transcription has them stripped, as stage directions are not speech.
     */
    synchronized void speak(String utterance) {
        if (ended) {
            return;
        }
        JsonNode turnDetection = session.path("audio").path("input").path("turn_detection");
        if (active != null && turnDetection.path("interrupt_response").asBoolean(true)) {
            cancel("turn_detected");
        }
        ObjectNode item = mapper.createObjectNode();
        item.put("id", ReplyScript.randomId("item_"));
        item.put("type", "message");
        item.put("object", "realtime.item");
        item.put("status", "completed");
        item.put("role", "user");
        item.putArray("content").addObject().put("type", "input_audio").putNull("transcript");
        String itemId = item.get("id").asText();
        emit(event("input_audio_buffer.speech_started").put("audio_start_ms", 0).put("item_id", itemId));
        emit(event("input_audio_buffer.speech_stopped").put("audio_end_ms", 1000).put("item_id", itemId));
        emit(withPrevious(event("input_audio_buffer.committed")).put("item_id", itemId));
        addItem(item);
        if (!session.path("audio").path("input").path("transcription").isNull()
                && session.path("audio").path("input").has("transcription")) {
            ((ObjectNode) item.get("content").get(0)).put("transcript", utterance);
            ObjectNode done = event("conversation.item.input_audio_transcription.completed");
            done.put("item_id", itemId).put("content_index", 0).put("transcript", RealtimeReplies.spoken(utterance));
            done.putObject("usage").put("type", "duration").put("seconds", 1);
            emit(done);
        } else {
            // without transcription the model still hears the words; nobody else sees them
            ((ObjectNode) item.get("content").get(0)).put("transcript", utterance);
        }
        if (turnDetection.isObject() && turnDetection.path("create_response").asBoolean(true)) {
            startResponse();
        }
    }

    /** {@code conversation.item.retrieve}: the item as it is now, to the asking socket only (the Agents SDK asks for
     * a user item once its transcription completed). */
    private void retrieveItem(Peer from, String eventId, String itemId) {
        java.util.Optional<ObjectNode> found = items.stream().filter(i -> i.path("id").asText().equals(itemId))
                .findFirst();
        if (found.isEmpty()) {
            fail(from, eventId, "item_not_found", "item_id", "Item '" + itemId + "' was not found.");
            return;
        }
        ObjectNode retrieved = event("conversation.item.retrieved");
        retrieved.set("item", found.get().deepCopy());
        from.send(write(retrieved));
    }

    private void updateSession(Peer from, String eventId, JsonNode requested) {
        if (!requested.isObject()) {
            fail(from, eventId, "invalid_value", "session", "Missing required parameter: 'session'.");
            return;
        }
        if (requested.has("type") && !requested.path("type").asText().equals("realtime")) {
            fail(from, eventId, "invalid_value", "session.type", "Invalid value: 'session.type' must be 'realtime'.");
            return;
        }
        if (requested.has("tools") && !requested.get("tools").isArray()) {
            fail(from, eventId, "invalid_type", "session.tools", "Invalid type for 'session.tools': expected an array.");
            return;
        }
        RealtimeSessions.merge(session, requested);
        ObjectNode updated = event("session.updated");
        updated.set("session", session.deepCopy());
        emit(updated);
    }

    private void createItem(Peer from, String eventId, JsonNode requested, JsonNode previous) {
        if (!requested.isObject()) {
            fail(from, eventId, "invalid_value", "item", "Missing required parameter: 'item'.");
            return;
        }
        ObjectNode item = (ObjectNode) requested.deepCopy();
        String type = item.path("type").asText("");
        String problem = switch (type) {
            case "message" -> item.path("content").isArray() && List.of("user", "assistant", "system")
                    .contains(item.path("role").asText()) ? null : "item.content";
            case "function_call" -> item.path("name").isTextual() && item.path("call_id").isTextual() ? null : "item.name";
            case "function_call_output" -> item.path("call_id").isTextual() && item.path("output").isTextual()
                    ? null : "item.output";
            default -> "item.type";
        };
        if (problem != null) {
            fail(from, eventId, "invalid_value", problem, "Invalid conversation item: check '" + problem + "'.");
            return;
        }
        if (!item.hasNonNull("id")) {
            item.put("id", ReplyScript.randomId("item_"));
        } else if (items.stream().anyMatch(i -> i.path("id").asText().equals(item.get("id").asText()))) {
            fail(from, eventId, "item_already_exists", "item.id", "Item with id '" + item.get("id").asText()
                    + "' already exists.");
            return;
        }
        if (previous.isTextual() && items.stream().noneMatch(i -> i.path("id").asText().equals(previous.asText()))) {
            fail(from, eventId, "item_not_found", "previous_item_id", "Item '" + previous.asText() + "' was not found.");
            return;
        }
        item.put("object", "realtime.item");
        item.put("status", "completed");
        addItem(item);
    }

    private void createResponse(Peer from, String eventId) {
        if (active != null) {
            fail(from, eventId, "conversation_already_has_active_response", null,
                    "Conversation already has an active response in progress: " + active.id
                            + ". Wait until the response is finished before creating a new one.");
            return;
        }
        startResponse();
    }

    private void cancelResponse(Peer from, String eventId) {
        if (active == null) {
            fail(from, eventId, "response_cancel_not_active", null,
                    "Cancellation failed: no active response found.");
            return;
        }
        cancel("client_cancelled");
    }

    private void addItem(ObjectNode item) {
        ObjectNode added = withPrevious(event("conversation.item.added"));
        items.add(item);
        added.set("item", item.deepCopy());
        emit(added);
        ObjectNode done = withPrevious(event("conversation.item.done"));
        done.put("previous_item_id", items.size() > 1 ? items.get(items.size() - 2).get("id").asText() : null);
        done.set("item", item.deepCopy());
        emit(done);
    }

    private void startResponse() {
        RealtimeReplies.Plan plan = RealtimeReplies.plan(items);
        Response response = new Response(ReplyScript.randomId("resp_"), plan.deltaDelayMs());
        active = response;
        emit(responseEvent("response.created", response, "in_progress", null));
        int index = 0;
        for (RealtimeReplies.Output output : plan.outputs()) {
            int outputIndex = index++;
            switch (output) {
                case RealtimeReplies.Speech speech -> planSpeech(response, outputIndex, speech.text());
                case RealtimeReplies.FunctionCall call -> planCall(response, outputIndex, call);
            }
        }
        response.then(0, () -> finish(response, "completed", null));
        response.next();
    }

    private void planSpeech(Response response, int outputIndex, String text) {
        boolean audio = !session.path("output_modalities").toString().contains("text")
                || session.path("output_modalities").toString().contains("audio");
        String partType = audio ? "output_audio" : "output_text";
        String deltaType = audio ? "response.output_audio_transcript.delta" : "response.output_text.delta";
        String doneType = audio ? "response.output_audio_transcript.done" : "response.output_text.done";
        String field = audio ? "transcript" : "text";
        ObjectNode item = mapper.createObjectNode();
        item.put("id", ReplyScript.randomId("item_"));
        item.put("type", "message");
        item.put("object", "realtime.item");
        item.put("status", "in_progress");
        item.put("role", "assistant");
        item.putArray("content");
        String itemId = item.get("id").asText();
        StringBuilder said = new StringBuilder();
        response.then(0, () -> {
            response.outputs.add(item);
            response.speaking = item;
            response.spoken = said;
            response.partType = partType;
            response.field = field;
            emit(outputItem("response.output_item.added", response, outputIndex, item));
            addConversationItem(item);
            ObjectNode part = at(event("response.content_part.added"), response, outputIndex, itemId);
            part.putObject("part").put("type", audio ? "audio" : "text").put(field, "");
            emit(part);
        });
        for (String delta : RealtimeReplies.deltas(text)) {
            response.then(response.deltaDelayMs, () -> {
                said.append(delta);
                emit(at(event(deltaType), response, outputIndex, itemId).put("delta", delta));
            });
        }
        response.then(0, () -> {
            emit(at(event(doneType), response, outputIndex, itemId).put(field, said.toString()));
            ObjectNode part = at(event("response.content_part.done"), response, outputIndex, itemId);
            part.putObject("part").put("type", audio ? "audio" : "text").put(field, said.toString());
            emit(part);
            completeItem(response, outputIndex, item, "completed");
            response.speaking = null;
        });
    }

    private void planCall(Response response, int outputIndex, RealtimeReplies.FunctionCall call) {
        ObjectNode item = mapper.createObjectNode();
        item.put("id", ReplyScript.randomId("item_"));
        item.put("type", "function_call");
        item.put("object", "realtime.item");
        item.put("status", "in_progress");
        item.put("name", call.name());
        item.put("call_id", ReplyScript.randomId("call_"));
        item.put("arguments", "");
        String itemId = item.get("id").asText();
        response.then(0, () -> {
            response.outputs.add(item);
            emit(outputItem("response.output_item.added", response, outputIndex, item));
            addConversationItem(item);
        });
        response.then(response.deltaDelayMs, () -> {
            emit(at(event("response.function_call_arguments.delta"), response, outputIndex, itemId)
                    .put("call_id", item.get("call_id").asText()).put("delta", call.arguments()));
            item.put("arguments", call.arguments());
            ObjectNode done = at(event("response.function_call_arguments.done"), response, outputIndex, itemId);
            done.remove("content_index");
            done.put("call_id", item.get("call_id").asText()).put("name", call.name()).put("arguments", call.arguments());
            emit(done);
            completeItem(response, outputIndex, item, "completed");
        });
    }

    private void addConversationItem(ObjectNode item) {
        ObjectNode added = withPrevious(event("conversation.item.added"));
        items.add(item);
        added.set("item", item.deepCopy());
        emit(added);
    }

    private void completeItem(Response response, int outputIndex, ObjectNode item, String status) {
        item.put("status", status);
        if (response.speaking == item) {
            ArrayNode content = item.putArray("content");
            content.addObject().put("type", response.partType).put(response.field, response.spoken.toString());
        }
        emit(outputItem("response.output_item.done", response, outputIndex, item));
        ObjectNode done = event("conversation.item.done");
        int at = items.indexOf(item);
        done.put("previous_item_id", at > 0 ? items.get(at - 1).get("id").asText() : null);
        done.set("item", item.deepCopy());
        emit(done);
    }

    private void cancel(String reason) {
        Response response = active;
        response.stop();
        if (response.speaking != null) {
            completeItem(response, response.outputs.indexOf(response.speaking), response.speaking, "incomplete");
            response.speaking = null;
        }
        ObjectNode details = mapper.createObjectNode().put("type", "cancelled").put("reason", reason);
        finish(response, "cancelled", details);
    }

    private void finish(Response response, String status, ObjectNode details) {
        if (active != response) {
            return;
        }
        active = null;
        emit(responseEvent("response.done", response, status, details));
    }

    private ObjectNode responseEvent(String type, Response response, String status, ObjectNode details) {
        ObjectNode event = event(type);
        ObjectNode body = event.putObject("response");
        body.put("object", "realtime.response");
        body.put("id", response.id);
        body.put("status", status);
        body.set("status_details", details);
        ArrayNode output = body.putArray("output");
        response.outputs.forEach(o -> output.add(o.deepCopy()));
        body.put("conversation_id", "conv_" + id);
        body.set("output_modalities", session.path("output_modalities").deepCopy());
        body.put("max_output_tokens", "inf");
        ObjectNode audio = body.putObject("audio").putObject("output");
        audio.set("format", session.path("audio").path("output").path("format").deepCopy());
        audio.put("voice", session.path("audio").path("output").path("voice").asText("alloy"));
        if (type.equals("response.done")) {
            body.putObject("usage").put("total_tokens", 0).put("input_tokens", 0).put("output_tokens", 0);
        } else {
            body.putNull("usage");
        }
        return event;
    }

    private ObjectNode outputItem(String type, Response response, int outputIndex, ObjectNode item) {
        ObjectNode event = event(type);
        event.put("response_id", response.id).put("output_index", outputIndex);
        event.set("item", item.deepCopy());
        return event;
    }

    private static ObjectNode at(ObjectNode event, Response response, int outputIndex, String itemId) {
        return event.put("response_id", response.id).put("item_id", itemId).put("output_index", outputIndex)
                .put("content_index", 0);
    }

    private ObjectNode withPrevious(ObjectNode event) {
        event.put("previous_item_id", items.isEmpty() ? null : items.getLast().get("id").asText());
        return event;
    }

    private ObjectNode event(String type) {
        ObjectNode event = mapper.createObjectNode();
        event.put("type", type);
        event.put("event_id", ReplyScript.randomId("event_"));
        return event;
    }

    private void emit(ObjectNode event) {
        String json = write(event);
        peers.forEach(p -> p.send(json));
    }

    private void fail(Peer to, String eventId, String code, String param, String message) {
        ObjectNode event = event("error");
        ObjectNode error = event.putObject("error");
        error.put("type", "invalid_request_error");
        error.put("code", code);
        error.put("message", message);
        error.put("param", param);
        error.put("event_id", eventId);
        to.send(write(event));
    }

    private String write(ObjectNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A response being played: its steps run one after another, each after its delay, until done or stopped. */
    private final class Response {
        private record Step(long delayMs, Runnable action) {
        }

        final String id;
        final long deltaDelayMs;
        final List<ObjectNode> outputs = new ArrayList<>();
        private final Deque<Step> steps = new ArrayDeque<>();
        ObjectNode speaking;
        StringBuilder spoken;
        String partType;
        String field;
        private long timer = -1;
        private boolean stopped;

        Response(String id, long deltaDelayMs) {
            this.id = id;
            this.deltaDelayMs = deltaDelayMs;
        }

        void then(long delayMs, Runnable action) {
            steps.add(new Step(delayMs, action));
        }

        /** Runs steps without delay at once; a delayed one is left to a timer, which comes back here. */
        void next() {
            while (!stopped && !steps.isEmpty()) {
                Step step = steps.peek();
                if (step.delayMs() > 0) {
                    timer = vertx.setTimer(step.delayMs(), t -> {
                        synchronized (RealtimeCall.this) {
                            timer = -1;
                            if (!stopped) {
                                steps.poll().action().run();
                                next();
                            }
                        }
                    });
                    return;
                }
                steps.poll().action().run();
            }
        }

        void stop() {
            stopped = true;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }
    }
}
