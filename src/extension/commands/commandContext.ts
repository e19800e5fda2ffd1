/** What the view commands need: the shared services plus the concrete view objects they drive. */
import type { ConnectionManager } from '../connection';
import type { Services } from '../services';
import type { EventsTree } from '../views/eventsTree';
import type { ViewState } from '../views/viewState';

export interface CommandContext {
  services: Pick<Services, 'log' | 'config' | 'context'>;
  connection: ConnectionManager;
  tree: EventsTree;
  state: ViewState;
}
