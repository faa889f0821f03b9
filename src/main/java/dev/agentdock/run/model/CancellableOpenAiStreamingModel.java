package dev.agentdock.run.model;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiStreamingResponseBuilder;
import dev.langchain4j.model.openai.internal.OpenAiUtils;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionChoice;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionRequest;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionResponse;
import dev.langchain4j.model.openai.internal.chat.Delta;
import dev.langchain4j.model.openai.internal.chat.ToolCall;
import dev.langchain4j.model.openai.internal.shared.StreamOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * LangChain4j's OpenAI streaming chat model with a {@link StreamingHandle} that really cancels the upstream request
 * (under Quarkus, {@code OpenAiStreamingChatModel} hands its handlers a no-op handle). The request is built and the
 * reply accumulated by LangChain4j ({@link OpenAiUtils}, {@link OpenAiStreamingResponseBuilder}); the transport is
 * {@link ChatCompletionStreams}, which keeps connections alive between calls.
 */
public final class CancellableOpenAiStreamingModel implements StreamingChatModel {

    private final ChatCompletionStreams client;

    public CancellableOpenAiStreamingModel(ChatCompletionStreams client) {
        this.client = client;
    }

    void close() {
        client.close();
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        stream(request, handler);
    }

    /** Starts the streaming call and returns the handle that cancels it, usable before the first chunk arrives. */
    public StreamingHandle stream(ChatRequest request, StreamingChatResponseHandler handler) {
        OpenAiChatRequestParameters parameters = request.parameters() instanceof OpenAiChatRequestParameters p
                ? p : OpenAiChatRequestParameters.builder().overrideWith(request.parameters()).build();
        ChatCompletionRequest completion = OpenAiUtils.toOpenAiChatRequest(request, parameters, false, null, false, false)
                .stream(true)
                .streamOptions(StreamOptions.builder().includeUsage(true).build())
                .build();
        OpenAiStreamingResponseBuilder accumulated = new OpenAiStreamingResponseBuilder();
        Handle handle = new Handle();
        Map<Integer, String[]> callIdentity = new HashMap<>();
        ChatCompletionStreams.Call upstream = client.start(completion, new ChatCompletionStreams.Listener() {
            @Override
            public void chunk(ChatCompletionResponse chunk) {
                if (handle.isCancelled()) {
                    return;
                }
                try {
                    accumulated.append(chunk);
                    forwardDeltas(chunk, handler, handle, callIdentity);
                } catch (RuntimeException e) {
                    // a failure here would otherwise vanish inside the HTTP client and look like a stall
                    handle.cancel();
                    handler.onError(e);
                }
            }

            @Override
            public void completed() {
                if (!handle.isCancelled()) {
                    handler.onCompleteResponse(accumulated.build());
                }
            }

            @Override
            public void failed(Throwable error) {
                if (!handle.isCancelled()) {
                    handler.onError(error);
                }
            }
        });
        handle.bind(upstream);
        return handle;
    }

    private static void forwardDeltas(ChatCompletionResponse chunk, StreamingChatResponseHandler handler, Handle handle,
                                      Map<Integer, String[]> callIdentity) {
        if (chunk == null || chunk.choices() == null) {
            return;
        }
        for (ChatCompletionChoice choice : chunk.choices()) {
            Delta delta = choice.delta();
            if (delta == null) {
                continue;
            }
            if (delta.content() != null && !delta.content().isEmpty()) {
                handler.onPartialResponse(new PartialResponse(delta.content()), new PartialResponseContext(handle));
            }
            if (delta.toolCalls() != null) {
                for (ToolCall call : delta.toolCalls()) {
                    // only a call's first chunk names it; later chunks carry its index and more arguments
                    int index = call.index() == null ? 0 : call.index();
                    String[] identity = callIdentity.computeIfAbsent(index, i -> new String[2]);
                    if (call.id() != null) {
                        identity[0] = call.id();
                    }
                    if (call.function() != null && call.function().name() != null) {
                        identity[1] = call.function().name();
                    }
                    String args = call.function() == null ? null : call.function().arguments();
                    if (args == null || args.isEmpty()) {
                        continue; // the announcing chunk: its id and name travel with the first arguments
                    }
                    PartialToolCall partial = PartialToolCall.builder()
                            .index(index)
                            .id(identity[0])
                            .name(identity[1])
                            .partialArguments(args == null ? "" : args)
                            .build();
                    handler.onPartialToolCall(partial, new PartialToolCallContext(handle));
                }
            }
        }
    }

    /** Cancels the upstream call; safe before the call has started and from any thread. */
    static final class Handle implements StreamingHandle {
        private final AtomicBoolean cancelled = new AtomicBoolean();
        private final AtomicReference<ChatCompletionStreams.Call> upstream = new AtomicReference<>();

        void bind(ChatCompletionStreams.Call handle) {
            upstream.set(handle);
            if (cancelled.get()) {
                handle.cancel();
            }
        }

        @Override
        public void cancel() {
            if (cancelled.compareAndSet(false, true)) {
                ChatCompletionStreams.Call handle = upstream.get();
                if (handle != null) {
                    handle.cancel();
                }
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get();
        }
    }
}
