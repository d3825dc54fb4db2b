import { UnrecoverableError } from 'bullmq';

/** kubeadm renewal failed on a node: the remaining nodes are left untouched for a person to look at. */
export class NodeRenewalFailedError extends UnrecoverableError {
  override readonly name = 'NodeRenewalFailedError';
  constructor(
    readonly node: string,
    readonly renewed: string[],
    readonly untouched: string[],
    detail: string,
  ) {
    super(
      `kubeadm certificate renewal failed on ${node}: ${detail}. ` +
        `Renewed: ${renewed.length ? renewed.join(', ') : 'none'}; left untouched: ${untouched.length ? untouched.join(', ') : 'none'}.`,
    );
  }
}
