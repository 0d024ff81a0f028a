import { memo } from "react";
import Markdown, { type Components } from "react-markdown";
import { openExternal } from "../api/commands";
import { isHttpUrl } from "../api/media";
import { useNotifyError } from "../state/app";

/**
 * The server's raw reply, rendered as markdown WITHOUT raw HTML: HTML in the text is dropped
 * (`skipHtml`), links become buttons that open http(s) URLs in the system browser (anything else is
 * plain text), and images are never loaded (their alt text is shown instead). Memoized on the text: a finished
 * reply's markdown is parsed once, not on every progress tick of the conversation.
 */
export const ServerText = memo(function ServerText({ content }: { content: string }) {
  const notifyError = useNotifyError();
  const components: Components = {
    a({ href, children }) {
      if (isHttpUrl(href)) {
        return (
          <button
            type="button"
            className="md-link"
            title={href}
            onClick={() => openExternal(href).catch(notifyError)}
          >
            {children}
          </button>
        );
      }
      return <span className="md-dead-link">{children}</span>;
    },
    img({ alt }) {
      return alt ? <span className="md-image-alt">[{alt}]</span> : null;
    },
  };
  return (
    <div className="server-text" data-testid="server-text">
      <Markdown skipHtml components={components}>
        {content}
      </Markdown>
    </div>
  );
});
