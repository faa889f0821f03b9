package dev.agentdock.run.loop;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands what a streaming model call produces (on the HTTP client's threads) to the run's own thread, in order.
 * Everything the run does with a chunk — events, flushes, stop checks — then happens on one thread.
 */
final class StepStream implements StreamingChatResponseHandler {

    sealed interface Signal permits Text, ToolPart, Done, Failed, Wake {
    }

    record Text(String text) implements Signal {
    }

    record ToolPart(PartialToolCall call) implements Signal {
    }

    record Done(ChatResponse response) implements Signal {
    }

    record Failed(Throwable error) implements Signal {
    }

    enum Wake implements Signal { INSTANCE }

    private final BlockingQueue<Signal> queue = new LinkedBlockingQueue<>();

    @Override
    public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
        queue.offer(new Text(partial.text()));
    }

    @Override
    public void onPartialResponse(String partial) {
        queue.offer(new Text(partial));
    }

    @Override
    public void onPartialToolCall(PartialToolCall call, PartialToolCallContext context) {
        queue.offer(new ToolPart(call));
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
        queue.offer(new Done(response));
    }

    @Override
    public void onError(Throwable error) {
        queue.offer(new Failed(error));
    }

    void wake() {
        queue.offer(Wake.INSTANCE);
    }

    Signal poll(long nanos) throws InterruptedException {
        return queue.poll(nanos, TimeUnit.NANOSECONDS);
    }
}
